import './styles/app.css';
import './styles/status.css';
import './styles/forms.css';
import './styles/tables.css';
import './styles/placeholders.css';
import './styles/side-sections.css';
import './styles/charts.css';
import { mount } from 'svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('Latent Studio: #app element missing from index.html');

export default mount(App, { target });
