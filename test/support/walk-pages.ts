/**
 * Follows `nextCursor` from the first page to the last, for repository lists and HTTP lists alike.
 * A walk that does not end within `maxPages` fails instead of looping forever.
 */
import type { Page } from "../../shared/domain/page.ts";

export async function walkPages<T>(
  readPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 200,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  while (pages.length < maxPages) {
    const page = await readPage(cursor);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error(`the walk did not end within ${maxPages} pages`);
}
