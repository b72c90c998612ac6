import { createReadStream, existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../config.js';
import { writeImportCsv } from './import-csv.js';

/** The generated file for `rows`, written once per bench process and reused by both stores. */
export async function csvFile(rows: number): Promise<string> {
  const path = join(tmpdir(), `threadline-bench-import-${rows}.csv`);
  if (!existsSync(path)) await writeImportCsv(path, rows);
  return path;
}

/** Streams a file to POST /api/imports as text/csv with its length declared; answers the parsed report. */
export function upload(url: string, file: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/imports`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.secretKey}`, 'Content-Type': 'text/csv', 'Content-Length': statSync(file).size },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d) => (text += d));
        res.on('end', () =>
          res.statusCode === 201
            ? resolve(JSON.parse(text))
            : reject(new Error(`import answered ${res.statusCode}: ${text.slice(0, 300)}`)),
        );
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}
