import { createPinia } from 'pinia'
import { createApp } from 'vue'
import 'uplot/dist/uPlot.min.css'
import App from './App.vue'
import { createAppI18n } from './i18n'
import { createAppRouter } from './router'
import './styles/theme.css'
import './styles/page.css'

createApp(App).use(createPinia()).use(createAppI18n()).use(createAppRouter()).mount('#app')
