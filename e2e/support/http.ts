/** A small HTTP(S) client for ops tests: raw status, headers and body, no redirects followed. */
import http from 'node:http';
import https from 'node:https';

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Name/value pairs as sent, to catch duplicated headers. */
  rawHeaders: string[];
  body: Buffer;
  text: string;
}

export interface SimpleRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** PEM certificate(s) to trust for https URLs. */
  ca?: string;
}

export function request(url: string, options: SimpleRequest = {}): Promise<SimpleResponse> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            text: body.toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** How many times a header name appears in a response. */
export function countHeader(response: SimpleResponse, name: string): number {
  return response.rawHeaders.filter(
    (value, index) => index % 2 === 0 && value.toLowerCase() === name,
  ).length;
}
