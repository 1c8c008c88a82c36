import { render } from 'preact';
import { App } from './components/App.tsx';
import './style.css';

render(<App />, document.getElementById('app')!);
