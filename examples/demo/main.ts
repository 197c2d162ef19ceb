/** `npm start`: runs the demo and exits 0 when every step ended as scripted. */
import { runDemo } from './demo.js';

const result = await runDemo();
process.exitCode = result.ok ? 0 : 1;
