export type { StatusCategory } from './status-category.js';
export { statusCategory } from './status-category.js';
