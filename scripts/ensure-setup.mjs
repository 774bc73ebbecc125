#!/usr/bin/env node
// Runs before `npm test` and `npm run demo` so that both work on a fresh machine: installs the npm
// packages when node_modules is missing or older than the lockfile, and Debian's Chromium when the
// browser is missing (as root, with apt-get). Plain JavaScript: it must run before anything is installed.
import { execSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'

const run = (cmd) => execSync(cmd, { stdio: 'inherit' })
const marker = 'node_modules/.package-lock.json'
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs) {
  console.log('ensure-setup: installing npm packages (npm ci)…')
  run('npm ci --no-audit --no-fund')
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log("ensure-setup: installing Debian's chromium (apt-get)…")
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium')
  } else {
    console.warn(`ensure-setup: no Chromium at ${chromium}; install Debian's chromium (or set CHROMIUM_PATH) for the browser parts.`)
  }
}
