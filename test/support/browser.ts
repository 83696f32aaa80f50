/** Launch headless Debian Chromium with the flags that work on this machine (see DEVELOPERS notes). */
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { chromiumPath } from './env.js';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Options for a fake webcam fed from a Y4M file (absolute path). */
export function fakeCameraFlags(y4mPath: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${y4mPath}`,
  ];
}

export async function launchChromium(extraArgs: string[] = [], opts: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
    ...opts,
  });
}
