import './components/machine-console.ts';
