/**
 * A DNS server on loopback that answers one name with the A records a test sets, for nginx's
 * `resolver`. In production nginx finds the backend replicas by asking Docker's (or the
 * cluster's) DNS for one name that resolves to every replica (nginx/templates/http.conf.template);
 * this lets the chaos tests run that same configuration against processes on 127.0.0.x, and
 * change the answer when a replica is replaced, as Docker does.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface FakeDns {
  /** `127.0.0.1:<port>`, what NGINX_RESOLVER takes. */
  address: string;
  /** Replaces the addresses `name` resolves to. */
  setAddresses(addresses: string[]): void;
  close(): Promise<void>;
}

const TYPE_A = 1;
const CLASS_IN = 1;
/** nginx keeps an answer for `valid=` seconds regardless; a short TTL changes nothing there. */
const TTL_SECONDS = 1;

export async function startFakeDns(name: string, addresses: string[]): Promise<FakeDns> {
  let current = [...addresses];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    const reply = answer(query, name.toLowerCase(), current);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    setAddresses: (next) => {
      current = [...next];
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** One question in, its answer out (RFC 1035): A records for `name`, NXDOMAIN for the rest. */
function answer(query: Buffer, name: string, addresses: string[]): Buffer | null {
  if (query.length < 12) return null;
  const questions = query.readUInt16BE(4);
  if (questions !== 1) return null;
  let offset = 12;
  const labels: string[] = [];
  while (offset < query.length && query[offset] !== 0) {
    const length = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += length + 1;
  }
  const questionEnd = offset + 5; // the zero label, type, class
  if (questionEnd > query.length) return null;
  const type = query.readUInt16BE(offset + 1);
  const isOurs = labels.join('.').toLowerCase() === name;
  const records = isOurs && type === TYPE_A ? addresses : [];

  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const recursionDesired = query[2]! & 0x01;
  header[2] = 0x84 | recursionDesired; // response, authoritative
  header[3] = isOurs ? 0 : 3; // NOERROR, or NXDOMAIN for any other name
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const question = query.subarray(12, questionEnd);
  const answers = records.map((address) => {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // pointer to the name in the question
    record.writeUInt16BE(TYPE_A, 2);
    record.writeUInt16BE(CLASS_IN, 4);
    record.writeUInt32BE(TTL_SECONDS, 6);
    record.writeUInt16BE(4, 10);
    address.split('.').forEach((part, index) => record.writeUInt8(Number(part), 12 + index));
    return record;
  });
  return Buffer.concat([header, question, ...answers]);
}
