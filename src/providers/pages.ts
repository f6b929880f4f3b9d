import { z } from 'zod'
import { type GetJsonOptions, getJson, HttpError } from '../http.js'

/**
 * Cursor pagination as the OpenAI and Anthropic admin APIs both do it: `{ has_more, next_page }`,
 * the cursor goes back as `page=` with the other parameters unchanged (openai §3.3, anthropic §4.1).
 * Followed to the end, because a sum over half the pages is a wrong number, not a smaller one.
 */

/** A month of daily buckets fits one page; 50 pages means a server that never stops. */
export const MAX_PAGES = 50

/**
 * One page of an admin report: daily buckets (each with its start, in the API's own form, and its
 * result rows) and the cursor fields.
 */
export function reportPage<K extends string, T extends z.ZodType, R extends z.ZodType>(
  startKey: K,
  start: T,
  row: R,
) {
  const bucket = z.object({ results: z.array(row).nullish() }).extend({ [startKey]: start } as Record<K, T>)
  return z.object({
    data: z.array(bucket),
    has_more: z.boolean().nullish(),
    next_page: z.string().nullish(),
  })
}

interface Paged {
  has_more?: boolean | null
  next_page?: string | null
}

export async function fetchAllPages<S extends z.ZodType<Paged>>(
  url: URL,
  schema: S,
  options: GetJsonOptions,
): Promise<z.output<S>[]> {
  const where = `${url.origin}${url.pathname}`
  const pages: z.output<S>[] = []
  const seen = new Set<string>()
  let cursor: string | null = null
  while (pages.length < MAX_PAGES) {
    const target = new URL(url)
    if (cursor !== null) target.searchParams.set('page', cursor)
    const { data } = await getJson(target.toString(), schema, options)
    pages.push(data)
    if (data.has_more !== true) return pages
    const next = data.next_page
    // "More follows" without a cursor: the pages we have are not the month, and a sum of them
    // would be a precise-looking wrong figure.
    if (!next) {
      throw new HttpError(
        'schema',
        `${where} said more pages follow but sent no next_page cursor; the total would be incomplete`,
      )
    }
    if (seen.has(next)) throw new HttpError('schema', `${where} sent the same next_page cursor twice`)
    seen.add(next)
    cursor = next
  }
  throw new HttpError(
    'http',
    `${where} still had more pages after ${MAX_PAGES}; stopped to avoid a wrong sum`,
  )
}
