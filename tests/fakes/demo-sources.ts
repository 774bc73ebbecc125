/** @module Every source the demo runs, each against its local fake. */
import { distrokidDemo } from './demo-distrokid.ts'
import type { DemoSource } from './demo-source.ts'
import { spotifyDemo } from './spotify.ts'
import { toolostDemo } from './demo-toolost.ts'

export const DEMO_SOURCES: DemoSource[] = [distrokidDemo, spotifyDemo, toolostDemo]
