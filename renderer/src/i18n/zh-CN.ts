import type { Messages } from './en'

const zhCN: Messages = {
  shell: {
    product: 'Vigil',
    tagline: '工厂监测',
    connection: {
      label: '主机连接',
      connecting: '正在连接…',
      open: '已连接',
      reconnecting: '连接中断，正在重连…',
      closed: '未连接',
    },
    backend: {
      label: '机器学习后端',
      'tfjs-node': 'TensorFlow 原生',
      wasm: 'WebAssembly',
      cpu: 'CPU',
      pending: '启动中…',
      unavailable: '不可用',
      unknown: '—',
    },
    clock: '主机时间',
    language: '语言',
    nav: {
      label: '主导航',
      live: '实时趋势',
      alarms: '报警',
      models: '模型',
      sources: '数据源',
      reports: '报表',
      later: '将在后续版本中提供',
    },
  },
  live: {
    title: '实时趋势',
    range: '时间范围',
    ranges: {
      m5: '5 分钟',
      m15: '15 分钟',
      h1: '1 小时',
      h8: '8 小时',
      h24: '24 小时',
    },
    normal: '正常 {min} – {max}',
    normalMin: '正常 ≥ {min}',
    normalMax: '正常 ≤ {max}',
    noNormal: '未设置正常范围',
    trend: { up: '上升', down: '下降', steady: '平稳' },
    limit: { high: '偏高', low: '偏低' },
    stale: '无数据',
    noValue: '尚无数值',
    loading: '正在加载历史数据…',
    empty: '尚未配置传感器。',
    loadFailed: '无法加载趋势：{message}',
    retry: '重试',
    chartLabel: '{name}，最近 {range}',
  },
  demo: {
    title: '演示工厂',
    active: '当前故障：',
    since: '自 {time} 起',
    faults: {
      none: '无，正常运行',
      'valve-closing': '阀门关闭',
      'bearing-wear': '轴承磨损',
    },
    trigger: '触发',
    normal: '恢复正常',
    failed: '无法切换演示故障：{message}',
  },
}

export default zhCN
