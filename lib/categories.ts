/** The colour of each layer category, as the categories declare it, and one for unknown types. */
import { CATEGORIES, type Category } from '@/graph-compiler';

export const CATEGORY_COLORS: Record<Category | 'unknown', string> = {
  ...(Object.fromEntries(CATEGORIES.map((c) => [c.id, c.color])) as Record<Category, string>),
  unknown: '#9a9a9a',
};
