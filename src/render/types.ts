import type { View } from '../view.js'
import type { Palette } from './format.js'

export interface RenderOptions {
  colors: Palette
  /** Provider display names by id, for the tooltip (`Claude`). */
  providerNames: Record<string, string>
}

/** A renderer's whole answer: exactly one line (json may be longer) and the exit code it implies. */
export interface Rendered {
  text: string
  exitCode: number
}

export type Renderer = (view: View, options: RenderOptions) => Rendered
