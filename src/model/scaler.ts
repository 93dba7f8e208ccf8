// Robust per-sensor scaling, fitted on training data only: (x − median) / spread, where spread is
// the interquartile range / 1.349 (the standard deviation of a normal distribution), but never
// less than half the standard deviation of the values winsorised at their 5th and 95th
// percentiles. The floor matters for stepped sensors: a flow reading that sits at exactly one
// value most of the time and steps by ±1 now and then has an IQR near 0, so its scaled error
// would swamp every other sensor. For normal data the floor is 0.46 σ, below IQR / 1.349, so it
// never acts; winsorising keeps it robust to up to 5 % wild values. Falls back to MAD × 1.4826,
// then the standard deviation, then 1 for a constant sensor. Medians and quartiles barely move
// when a few outliers or faults sit in the training range, unlike mean/std.

/** Plain JSON, stored with the model: scaled = (raw − center) / scale, per sensor. */
export interface ScalerParams {
  center: number[]
  scale: number[]
}

/** Quantile q of sorted values, linear interpolation between neighbours. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** Share of the winsorised standard deviation that the spread never goes below. */
const STD_FLOOR = 0.5
/** Winsorising quantile (each side) for that standard deviation. */
const WINSOR = 0.05

/** Standard deviation of sorted values clipped to their WINSOR and 1 − WINSOR quantiles. */
function winsorisedStd(sorted: Float64Array): number {
  const lo = quantile(sorted, WINSOR)
  const hi = quantile(sorted, 1 - WINSOR)
  let sum = 0
  for (const v of sorted) sum += Math.min(hi, Math.max(lo, v))
  const mean = sum / sorted.length
  let sq = 0
  for (const v of sorted) sq += (Math.min(hi, Math.max(lo, v)) - mean) ** 2
  return Math.sqrt(sq / sorted.length)
}

/** A spread too small to divide by, relative to the level of the signal. */
const negligible = (spread: number, center: number): boolean =>
  !(spread > 1e-9 * Math.max(1, Math.abs(center))) || !Number.isFinite(spread)

function fitColumn(column: Float64Array): { center: number; scale: number } {
  if (column.length === 0) return { center: 0, scale: 1 }
  column.sort()
  const center = quantile(column, 0.5)
  const iqr = (quantile(column, 0.75) - quantile(column, 0.25)) / 1.349
  const spread = Math.max(iqr, STD_FLOOR * winsorisedStd(column))
  if (!negligible(spread, center)) return { center, scale: spread }
  const deviations = column.map((v) => Math.abs(v - center)).sort()
  const mad = quantile(deviations, 0.5) * 1.4826
  if (!negligible(mad, center)) return { center, scale: mad }
  let sum = 0
  for (const v of column) sum += v
  const mean = sum / column.length
  let sq = 0
  for (const v of column) sq += (v - mean) * (v - mean)
  const std = Math.sqrt(sq / column.length)
  return { center, scale: negligible(std, center) ? 1 : std }
}

/** Fits the scaler on row-major `values` (rows × cols); NaN values are ignored. */
export function fitScaler(values: Float32Array, cols: number): ScalerParams {
  const rows = Math.floor(values.length / cols)
  const center: number[] = []
  const scale: number[] = []
  const column = new Float64Array(rows)
  for (let c = 0; c < cols; c++) {
    let n = 0
    for (let r = 0; r < rows; r++) {
      const v = values[r * cols + c]!
      if (!Number.isNaN(v)) column[n++] = v
    }
    const fitted = fitColumn(column.slice(0, n))
    center.push(fitted.center)
    scale.push(fitted.scale)
  }
  return { center, scale }
}

/** Raw → scaled, row-major; NaN stays NaN. Writes into `out` (may be `values`) when given. */
export function transform(
  scaler: ScalerParams,
  values: Float32Array,
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  const cols = scaler.center.length
  const inv = scaler.scale.map((s) => 1 / s)
  for (let i = 0; i < values.length; i++) {
    const c = i % cols
    out[i] = (values[i]! - scaler.center[c]!) * inv[c]!
  }
  return out
}

/** Scaled → raw, row-major. Writes into `out` (may be `values`) when given. */
export function inverse(
  scaler: ScalerParams,
  values: Float32Array,
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  const cols = scaler.center.length
  for (let i = 0; i < values.length; i++) {
    const c = i % cols
    out[i] = values[i]! * scaler.scale[c]! + scaler.center[c]!
  }
  return out
}
