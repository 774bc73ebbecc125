#!/usr/bin/env node
// Runs before `npm test` and `npm run demo` so that both work on a fresh machine: installs the npm
// packages when node_modules is missing or older than the lockfile, and Debian's Chromium when the
// browser is missing (as root, with apt-get). Plain JavaScript: it must run before anything is installed.
import { execSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const run = (cmd) => execSync(cmd, { stdio: 'inherit' })
// Installed packages are current when they were installed from this very lockfile (by content, not by
// modification time: a fresh checkout or a git worktree has a new lockfile mtime and the same packages).
const marker = 'node_modules/.bedrot-lock-sha256'
const lock = readFileSync('package-lock.json')
const lockHash = createHash('sha256').update(lock).digest('hex')
if (!existsSync(marker) || readFileSync(marker, 'utf8').trim() !== lockHash) {
  if (!sameVersions()) {
    console.log('ensure-setup: installing npm packages (npm ci)…')
    run('npm ci --no-audit --no-fund')
  }
  writeFileSync(marker, lockHash)
}

/** npm's own record of what node_modules holds has every required package of the lockfile, same version. */
function sameVersions() {
  const hidden = 'node_modules/.package-lock.json'
  if (!existsSync(hidden)) return false
  const have = JSON.parse(readFileSync(hidden, 'utf8')).packages ?? {}
  const want = JSON.parse(lock.toString('utf8')).packages ?? {}
  // Optional packages for other platforms (a formatter's binaries) are never installed here.
  return Object.entries(want).every(([name, p]) => !name || p.optional || have[name]?.version === p.version)
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
