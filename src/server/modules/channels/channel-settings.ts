import { loadConfig, type Config } from '../../config.js';

/** What the channel adapters need from the configuration, resolved once when the services are built. */
export interface ChannelSettings {
  wechat: {
    /** null: the official-account endpoint is switched off (production without WECHAT_TOKEN). */
    token: string | null;
    appId: string | null;
    /** EncodingAESKey for 安全模式 / 兼容模式; null: only plaintext mode is accepted. */
    aesKey: string | null;
  };
  webForm: {
    /** A person needs a few seconds to write a request; a bot posting faster is refused. */
    minFillMs: number;
    /** A form token older than this is refused, so harvested tokens go stale. */
    ttlMs: number;
  };
}

// Development and tests get a fixed token so the WeChat simulator and the tests can sign messages;
// production must configure its own, otherwise anyone knowing this value could post as WeChat.
export const DEV_WECHAT_TOKEN = 'heze12345dev';

export function channelSettings(
  cfg: Pick<Config, 'NODE_ENV' | 'WECHAT_TOKEN' | 'WECHAT_APPID' | 'WECHAT_ENCODING_AES_KEY'> = loadConfig(),
): ChannelSettings {
  return {
    wechat: {
      token: cfg.WECHAT_TOKEN ?? (cfg.NODE_ENV === 'production' ? null : DEV_WECHAT_TOKEN),
      appId: cfg.WECHAT_APPID ?? null,
      aesKey: cfg.WECHAT_ENCODING_AES_KEY ?? null,
    },
    webForm: { minFillMs: 3_000, ttlMs: 2 * 3_600_000 },
  };
}
