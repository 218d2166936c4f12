export const WINDOWS: { label: string; ms: number; param: string }[] = [
  { label: '15 min', ms: 15 * 60_000, param: '15m' },
  { label: '1 h', ms: 3600_000, param: '1h' },
  { label: '3 h', ms: 3 * 3600_000, param: '3h' },
  { label: '6 h', ms: 6 * 3600_000, param: '6h' },
  { label: '12 h', ms: 12 * 3600_000, param: '12h' },
  { label: '24 h', ms: 24 * 3600_000, param: '24h' },
];

export function windowFromParam(param: string | null): (typeof WINDOWS)[number] {
  return WINDOWS.find((w) => w.param === param) ?? WINDOWS[1]!;
}

/** One time range for every chart on the page. */
export function WindowPicker({ value, onChange }: { value: string; onChange: (param: string) => void }) {
  return (
    <label className="inline-field">
      <span>Window</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {WINDOWS.map((w) => (
          <option key={w.param} value={w.param}>
            Last {w.label}
          </option>
        ))}
      </select>
    </label>
  );
}
