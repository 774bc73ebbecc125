/**
 * @module The page's first screen rendered on the server: the same Preact component the browser runs
 * (web/app.js), given the KPI answers already inlined for the boot data, so the numbers are painted as
 * soon as the HTML and CSS arrive, before any script has loaded; the browser then hydrates it.
 */
import { h } from 'preact'
import { renderToString } from 'preact-render-to-string'
import type { Logger } from './log.ts'

interface PageModules {
  App: (props: { boot: unknown; first: unknown }) => unknown
  setLocale: (locale: string) => void
  setTimeZone: (tz: string) => void
}

// web/ is plain browser JavaScript with no type declarations; loaded once, on the first page request.
let modules: Promise<PageModules> | null = null
function load(): Promise<PageModules> {
  modules ??= Promise.all([import(new URL('../web/app.js', import.meta.url).href), import(new URL('../web/format.js', import.meta.url).href)]).then(
    ([app, format]) => ({ App: app.App, setLocale: format.setLocale, setTimeZone: format.setTimeZone }),
  )
  return modules
}

export interface FirstScreen {
  boot: { config: { timeZone: string }; catalog?: string[]; kpis?: Record<string, unknown> }
  view: { days: string; artist: string | null; track: string | null }
  /** The request's Accept-Language: numbers are shown in the reader's locale, as the browser will. */
  acceptLanguage?: string
}

/** The page's markup for #root, or '' when it cannot be rendered (the browser then renders it itself). */
export async function renderFirstScreen({ boot, view, acceptLanguage }: FirstScreen, log?: Logger): Promise<string> {
  try {
    const web = await load()
    // Synchronous from here on: the module-level locale and zone cannot be changed by another request mid-render.
    web.setLocale(firstLanguage(acceptLanguage))
    web.setTimeZone(boot.config.timeZone)
    return renderToString(h(web.App as never, { boot, first: view }))
  } catch (error) {
    log?.warn({ err: error }, 'the first screen could not be rendered on the server; the browser renders it')
    return ''
  }
}

function firstLanguage(header: string | undefined): string {
  const tag = header?.split(',')[0]?.split(';')[0]?.trim()
  return tag && tag !== '*' ? tag : 'en-US'
}
