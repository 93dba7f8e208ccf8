import { createRouter, createWebHashHistory } from 'vue-router'
import AlarmsPage from './pages/AlarmsPage.vue'
import AnomalyEventPage from './pages/AnomalyEventPage.vue'
import LivePage from './pages/LivePage.vue'
import ModelsPage from './pages/ModelsPage.vue'
import SourcesPage from './pages/SourcesPage.vue'
import StoragePage from './pages/StoragePage.vue'
import UsersPage from './pages/UsersPage.vue'

/** Hash history: the same URLs work from file:// in Electron and from the web host. */
export function createAppRouter() {
  return createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', redirect: '/live' },
      { path: '/live', name: 'live', component: LivePage },
      { path: '/alarms', name: 'alarms', component: AlarmsPage },
      { path: '/alarms/events/:id', name: 'anomaly-event', component: AnomalyEventPage },
      { path: '/models', name: 'models', component: ModelsPage },
      { path: '/sources', name: 'sources', component: SourcesPage },
      { path: '/storage', name: 'storage', component: StoragePage },
      { path: '/users', name: 'users', component: UsersPage },
      // The first-run link lands here; once set up, on the live page.
      { path: '/setup', redirect: '/live' },
      { path: '/:pathMatch(.*)*', redirect: '/live' },
    ],
  })
}
