import '../../styles/page.css';
import '../../console/machine-console.ts';
