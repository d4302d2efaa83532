/** Renderer entry: pick the transport, build the stores, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { StoresContext, createStores } from './stores/context';
import { pickTransport } from './transport/pickTransport';
import './styles.css';

const { api } = pickTransport(window);
const stores = createStores(api);
const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <StoresContext.Provider value={stores}>
      <App />
    </StoresContext.Provider>
  </StrictMode>,
);
