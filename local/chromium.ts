// The Chromium that browser tests and the dashboard bench drive: CHROMIUM_PATH
// if set, else Debian's package when installed, else the one the npm package
// `@sparticuz/chromium` unpacks (no download: its binary ships in the package).
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const DEBIAN = "/usr/lib/chromium/chromium";

// Flags keep it headless, quiet and offline.
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync", "--no-zygote", "--lang=en-US"];

export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync(DEBIAN)) return DEBIAN;
  const { default: sparticuz } = await import("@sparticuz/chromium");
  return sparticuz.executablePath();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    args: ARGS,
    // Under LANG=C the npm build reports the locale "en-US@posix", which the
    // page's Intl refuses; it ignores --lang and follows the environment.
    env: { ...process.env, LANG: "en_US.UTF-8", LANGUAGE: "en_US", LC_ALL: "en_US.UTF-8" },
  });
}
