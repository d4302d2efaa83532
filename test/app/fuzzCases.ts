/**
 * Malformed requests for the web-mode fuzz test, from a seeded generator (the same seed gives
 * the same cases, so a failure can be replayed). Each case is raw bytes for one connection:
 * random bytes and broken percent-escapes in cookies, paths, Host and Origin; WebSocket
 * upgrades carrying the same; requests cut off mid-way; garbage and truncated WebSocket frames
 * after a good handshake; and plain noise.
 */
import { WS_HANDSHAKE, rawRequest } from './rawHttp';
import type { RawOptions } from './rawHttp';
import { seededRandom } from '../support/seededRandom';

export { seededRandom };

export interface FuzzCase {
  kind: string;
  bytes: Buffer;
  options: RawOptions;
}

export interface FuzzTarget {
  port: number;
  token: string;
}

/** Percent-escapes that do not decode: lone %, bad hex, cut and overlong UTF-8, NUL. */
const BAD_ESCAPES = [
  '%',
  '%z',
  '%zz',
  '%E0',
  '%E0%A4',
  '%E0%A4%A',
  '%C3',
  '%ff',
  '%C0%AE',
  '%%',
  '%2',
  '%00',
  '%2e%2e%2f',
  '%u0041',
];
/** Bytes that break a header line (CR, LF, NUL, other controls). */
const LINE_BREAKERS = [0x0d, 0x0a, 0x00, 0x7f, 0x1b, 0x08];

export function makeCases(count: number, seed: number, target: FuzzTarget): FuzzCase[] {
  const rnd = seededRandom(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

  /** Random bytes; `breakers` lets CR/LF/NUL in (which breaks the header framing). */
  const bytes = (max: number, breakers = false): Buffer => {
    const out = Buffer.alloc(1 + int(max));
    for (let i = 0; i < out.length; i++) {
      let b = int(256);
      if (!breakers && LINE_BREAKERS.includes(b)) b = 0x25; // '%'
      out[i] = b;
    }
    return out;
  };
  /** Text mixing plain characters, broken escapes and random bytes. */
  const messy = (): Buffer => {
    const parts: Buffer[] = [];
    for (let i = 0, n = 1 + int(6); i < n; i++) {
      const r = int(4);
      if (r === 0) parts.push(Buffer.from(pick(BAD_ESCAPES)));
      else if (r === 1) parts.push(bytes(12, rnd() < 0.1));
      else if (r === 2)
        parts.push(
          Buffer.from(
            pick(['a', 'run.zip', '..', '/', 'token', '=', ';', ' ', '[', ']', ':', '#', '?']),
          ),
        );
      else parts.push(Buffer.from(`%${int(256).toString(16).padStart(2, '0')}`));
    }
    return Buffer.concat(parts);
  };
  const header = (name: string, value: Buffer): Buffer =>
    Buffer.concat([Buffer.from(`${name}: `), value]);
  const goodHost = `Host: 127.0.0.1:${target.port}`;
  const goodOrigin = `Origin: http://127.0.0.1:${target.port}`;
  const cookieName = `benchvisor_token_${target.port}`;
  const goodCookie = `Cookie: ${cookieName}=${target.token}`;

  const cookieCase = (): Buffer[] => {
    const r = int(3);
    if (r === 0) return [header('Cookie', Buffer.concat([Buffer.from(`${cookieName}=`), messy()]))];
    if (r === 1) return [header('Cookie', messy())];
    return [
      header(
        'Cookie',
        Buffer.concat([
          messy(),
          Buffer.from(`; ${cookieName}=`),
          messy(),
          Buffer.from(`; ${cookieName}=${target.token}`),
        ]),
      ),
    ];
  };
  const path = (): Buffer => {
    const r = int(6);
    const prefix = pick(['/', '/downloads/', '/api', '/assets/', '', '//', 'http://', '*']);
    if (r === 0) return Buffer.concat([Buffer.from(prefix), messy(), Buffer.from('.zip')]);
    if (r === 1) return Buffer.concat([Buffer.from(`/?token=`), messy()]);
    if (r === 2) return Buffer.concat([Buffer.from('http://['), messy()]);
    return Buffer.concat([Buffer.from(prefix), messy()]);
  };
  const hostOrOrigin = (): Buffer[] => {
    const r = int(4);
    if (r === 0) return [header('Host', messy()), Buffer.from(goodCookie)];
    if (r === 1) return [Buffer.from(goodHost), header('Origin', messy()), Buffer.from(goodCookie)];
    if (r === 2)
      return [header('Host', Buffer.from(`[${messy().toString('latin1')}]:${target.port}`))];
    return [
      Buffer.from(goodHost),
      header('Origin', Buffer.concat([Buffer.from('http://'), messy()])),
    ];
  };

  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const upgrade = rnd() < 0.5;
    const extra = upgrade ? WS_HANDSHAKE : [];
    const r = int(8);
    if (r === 0 || r === 1) {
      const target_ = upgrade ? '/api' : pick(['/', '/downloads/x.zip', '/index.html']);
      const h = [goodHost, goodOrigin, ...cookieCase(), ...extra];
      cases.push({
        kind: `${upgrade ? 'upgrade' : 'http'}-cookie`,
        bytes: rawRequest('GET', target_, h),
        options: { end: true },
      });
    } else if (r === 2) {
      const h = [goodHost, goodOrigin, goodCookie, ...extra];
      cases.push({
        kind: `${upgrade ? 'upgrade' : 'http'}-path`,
        bytes: rawRequest('GET', path(), h),
        options: { end: true },
      });
    } else if (r === 3) {
      const h = [...hostOrOrigin(), ...extra];
      cases.push({
        kind: `${upgrade ? 'upgrade' : 'http'}-host-origin`,
        bytes: rawRequest('GET', upgrade ? '/api' : '/', h),
        options: { end: true },
      });
    } else if (r === 4) {
      // A request cut off at a random byte, then the client hangs up.
      const full = rawRequest(pick(['GET', 'HEAD', 'POST']), path(), [
        goodHost,
        goodOrigin,
        ...cookieCase(),
        ...extra,
      ]);
      cases.push({
        kind: 'truncated-request',
        bytes: full.subarray(0, int(full.length)),
        options: { end: true },
      });
    } else if (r === 5) {
      // Garbage and truncated WebSocket frames after a good, authenticated handshake.
      const hs = rawRequest('GET', '/api', [goodHost, goodOrigin, goodCookie, ...WS_HANDSHAKE]);
      cases.push({
        kind: 'ws-frames',
        bytes: hs,
        options: { end: true, afterUpgrade: frames(), timeoutMs: 5000 },
      });
    } else if (r === 6) {
      cases.push({ kind: 'noise', bytes: bytes(400, true), options: { end: true } });
    } else {
      // Header lines broken by controls or missing colons.
      const h = [
        goodHost,
        header(pick(['Cookie', 'Origin', 'Host', 'Upgrade', 'X']), bytes(40, true)),
        Buffer.from(`${messy().toString('latin1')}`),
        ...extra,
      ];
      cases.push({
        kind: 'broken-headers',
        bytes: rawRequest('GET', '/', h),
        options: { end: true },
      });
    }
  }
  return cases;

  /** One or more WebSocket frames, often malformed, often cut off. */
  function frames(): Buffer {
    const out: Buffer[] = [];
    for (let i = 0, n = 1 + int(3); i < n; i++) {
      const opcode = pick([0x1, 0x2, 0x8, 0x9, 0xa, 0x0, 0x3, 0xb, 0xf]);
      const fin = rnd() < 0.8 ? 0x80 : 0;
      const rsv = rnd() < 0.1 ? 0x40 : 0;
      const masked = rnd() < 0.9 ? 0x80 : 0;
      const payload =
        rnd() < 0.5
          ? Buffer.from(
              JSON.stringify({
                id: int(9),
                channel: pick(['app:info', 'runs:get', 'x']),
                request: messy().toString('latin1'),
              }),
            )
          : bytes(200, true);
      const lenKind = int(4);
      let head: Buffer;
      if (lenKind === 0)
        head = Buffer.from([
          fin | rsv | opcode,
          masked | 127,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
        ]);
      else if (lenKind === 1 && payload.length > 125) {
        head = Buffer.from([
          fin | rsv | opcode,
          masked | 126,
          payload.length >> 8,
          payload.length & 0xff,
        ]);
      } else head = Buffer.from([fin | rsv | opcode, masked | Math.min(payload.length, 125)]);
      const mask = masked ? Buffer.from([int(256), int(256), int(256), int(256)]) : Buffer.alloc(0);
      const long = lenKind === 1 && payload.length > 125;
      const body = Buffer.from(long ? payload : payload.subarray(0, 125));
      for (let k = 0; masked && k < body.length; k++) body[k] = body[k]! ^ mask[k % 4]!;
      out.push(head, mask, body);
    }
    const all = Buffer.concat(out);
    return rnd() < 0.5 ? all.subarray(0, int(all.length) + 1) : all;
  }
}
