/** English messages; the shape every other language must match. */
const en = {
  shell: {
    product: 'Vigil',
    tagline: 'Plant monitoring',
    connection: {
      label: 'Host connection',
      connecting: 'Connecting…',
      open: 'Connected',
      reconnecting: 'Connection lost, reconnecting…',
      closed: 'Disconnected',
    },
    backend: {
      label: 'ML backend',
      'tfjs-node': 'TensorFlow native',
      wasm: 'WebAssembly',
      cpu: 'CPU',
      pending: 'starting…',
      unavailable: 'unavailable',
      unknown: '—',
    },
    clock: 'Host time',
    language: 'Language',
    nav: {
      label: 'Main navigation',
      live: 'Live trend',
      alarms: 'Alarms',
      models: 'Models',
      sources: 'Sources',
      reports: 'Reports',
      later: 'Arrives in a later version',
    },
  },
  live: {
    title: 'Live trend',
    range: 'Time range',
    ranges: {
      m5: '5 min',
      m15: '15 min',
      h1: '1 h',
      h8: '8 h',
      h24: '24 h',
    },
    normal: 'Normal {min} – {max}',
    normalMin: 'Normal ≥ {min}',
    normalMax: 'Normal ≤ {max}',
    noNormal: 'No normal range set',
    trend: { up: 'Rising', down: 'Falling', steady: 'Steady' },
    limit: { high: 'HIGH', low: 'LOW' },
    stale: 'NO DATA',
    noValue: 'No value yet',
    loading: 'Loading history…',
    empty: 'No sensors are configured.',
    loadFailed: 'Could not load the trend: {message}',
    retry: 'Retry',
    chartLabel: '{name} over the last {range}',
  },
  demo: {
    title: 'Demo plant',
    active: 'Active fault:',
    since: 'since {time}',
    faults: {
      none: 'None, normal operation',
      'valve-closing': 'Valve closing',
      'bearing-wear': 'Bearing wear',
    },
    trigger: 'Trigger',
    normal: 'Back to normal',
    failed: 'Could not change the demo fault: {message}',
  },
}

export type Messages = typeof en
export default en
