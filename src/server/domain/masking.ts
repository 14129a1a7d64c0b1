// Personal data is masked by default in every response (第六条); clear values only via an audited reveal.
export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length >= 11) return phone.slice(0, 3) + '****' + phone.slice(-4);
  if (phone.length > 4) return '*'.repeat(phone.length - 4) + phone.slice(-4);
  return '****';
}

export function maskAddress(address: string | null): string | null {
  if (!address) return address;
  const chars = [...address];
  const keep = Math.min(6, Math.floor(chars.length / 2));
  return chars.slice(0, keep).join('') + '****';
}
