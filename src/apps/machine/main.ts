import '../../security/boot.ts';
import '../../styles/page.css';
import '../../console/machine-console.ts';
