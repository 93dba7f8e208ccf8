import { contextBridge, ipcRenderer } from 'electron'
import { createPreloadApi } from './create-api'

contextBridge.exposeInMainWorld('vigil', createPreloadApi(ipcRenderer))
