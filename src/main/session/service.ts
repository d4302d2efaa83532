/**
 * The service-session primitive: a benchmark that needs a server inside the
 * platform (nginx today) describes it as a ServiceSpec; every platform starts
 * any spec the same way (put files, start the program on a port it chose,
 * hand back a loopback address). No platform knows which benchmark asked.
 */

/** Where a platform puts a service: chosen by the platform, handed to the spec. */
export interface ServicePlace {
  /** Absolute folder (as the service sees it) holding everything it reads and writes. */
  prefix: string;
  /** Address it listens on inside the platform (127.0.0.1 natively, 0.0.0.0 behind a forward). */
  listenAddress: string;
  port: number;
  /** It runs as root (a container or a guest has no other user; or the host user is root). */
  asRoot: boolean;
  /** Log every request (off where the prefix lives in RAM or a container layer). */
  logRequests: boolean;
}

/** What the service needs in its prefix and how it is started and stopped. */
export interface ServiceLayout {
  /** Folders to create, relative to the prefix. */
  dirs: string[];
  /** Small text files, relative to the prefix. */
  files: { path: string; content: string }[];
  /** One generated file of `bytes` bytes (its content does not matter), relative to the prefix. */
  generated?: { path: string; bytes: number };
  /** Arguments after the program that start it in the foreground (errors to stderr). */
  startArgs: string[];
  /** Arguments after the program that ask the running service to stop (else: SIGTERM). */
  stopArgs?: string[];
  /** Its pid file, relative to the prefix (where a platform stops it by pid). */
  pidFile?: string;
  /** Its error log, relative to the prefix (quoted in failure messages). */
  errorLog?: string;
  /** The URL path the host fetches. */
  urlPath: string;
  /** Ready when the path answers 200 with this many bytes. */
  readyBytes: number;
}

export interface ServiceSpec {
  /** Short name for logs, console lines and messages. */
  name: string;
  /** The program: where it is on the host (native, and copied into payloads), and inside a payload. */
  program: {
    /** Absolute path on the host, or null when it is not installed. */
    locate(): string | null;
    /** Path inside a container image or guest (the payload puts it there). */
    payloadPath: string;
    /** How to install it, for error messages. */
    fix: string;
  };
  layout(place: ServicePlace): ServiceLayout;
}

/** A running service, reachable from the host. */
export interface ServiceHandle {
  /** URL the host fetches (always a loopback address). */
  url: string;
  stop(): Promise<void>;
}

/** "http://127.0.0.1:8080/path" (IPv6 addresses in brackets). */
export function serviceUrl(address: string, port: number, urlPath: string): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}/${urlPath.replace(/^\/+/, '')}`;
}
