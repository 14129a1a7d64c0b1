// 第二十九条 网格视图 map (issue 12): illustrative centre points of the demo grids, placed inside 牡丹区's boundary (the
// 热点分析 map's heze-geo.json) and spread so their bubbles and labels do not overlap at the district's zoom (real grids
// are far smaller). They are not survey data: real grid points (or boundaries) are loaded with the official grid list
// before production, or set by each town/street's manager in 网格管理.
export const GRID_CENTRES: Array<{ code: string; lng: number; lat: number }> = [
  { code: '371702001101', lng: 115.56, lat: 35.3 },
  { code: '371702001102', lng: 115.64, lat: 35.32 },
  { code: '371702001103', lng: 115.56, lat: 35.24 },
  { code: '371702001104', lng: 115.64, lat: 35.26 },
  { code: '371702002101', lng: 115.4, lat: 35.3 },
  { code: '371702002102', lng: 115.32, lat: 35.27 },
  { code: '371702002103', lng: 115.4, lat: 35.24 },
  { code: '371702003101', lng: 115.44, lat: 35.17 },
  { code: '371702003102', lng: 115.52, lat: 35.17 },
];
