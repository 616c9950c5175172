import './styles/page.css';
import './components/machine-console.ts';
