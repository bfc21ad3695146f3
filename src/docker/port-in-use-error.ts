import { ExternalError } from "../errors.js";

/**
 * The engine could not publish a host port because something holds it. The runtime adapter throws it
 * (after removing the container it had created), so core code can say who holds the port.
 */
export class PortInUseError extends ExternalError {
  constructor(
    readonly port: number,
    readonly hostIp: string,
    detail: string,
  ) {
    super(`Port ${port} on ${hostIp} is already in use (${detail})`, {
      hint: "Stop what uses it or pass another --port.",
    });
  }
}
