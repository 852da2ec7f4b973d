/** The built browser host (`out/main/serve.js`) as a child process, for benchmarks that drive a page. */
import { spawn } from 'node:child_process';
import path from 'node:path';

const SERVE = path.resolve(__dirname, '../../out/main/serve.js');

/** Starts it on a free port over `dataDirectory`; resolves once it prints its URL. */
export async function startBuiltBrowserHost(dataDirectory: string, stderr: 'inherit' | 'ignore') {
  const child = spawn(process.execPath, [SERVE, '--port', '0', '--data-dir', dataDirectory], {
    stdio: ['ignore', 'pipe', stderr],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /browser host: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`browser host exited with ${code}`)));
  });
  return { child, url };
}
