/**
 * Placeholder page until the page issue lands: reports whether this browser has a WebGPU adapter, the first thing the
 * sweeper needs. The engine and its command line are complete; see README.
 */
const statusLine = document.querySelector<HTMLParagraphElement>('#status')!;

async function describeWebGpu(): Promise<string> {
  if (!('gpu' in navigator)) return 'This browser has no WebGPU (navigator.gpu is missing): use Chrome 113 or newer on https or localhost.';
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return 'WebGPU is present but no adapter was found: enable hardware acceleration (chrome://gpu tells why).';
  const { vendor, architecture } = adapter.info;
  return `WebGPU adapter ready: ${[vendor, architecture].filter(Boolean).join(' / ') || 'unnamed'}. The sweep page is coming; the command line (npm run sweep) runs sweeps today.`;
}

describeWebGpu().then((text) => { statusLine.textContent = text; }, (e: Error) => { statusLine.textContent = `WebGPU check failed: ${e.message}`; });
export {};
