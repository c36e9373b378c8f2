/**
 * The show's entry point, loaded by the CLI. No JSX here on purpose: the production flag must be
 * set before anything imports React, and a .tsx file would import the JSX runtime first.
 */
import './production.js';

export { runTui } from './tui.js';
