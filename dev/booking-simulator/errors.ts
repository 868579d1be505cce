// Typed errors of the booking simulator: a refused request (answered as HTTP `status` with a JSON
// error body) and a refused setting (naming the setting and what to use).

export class BookingSimulatorRequestError extends Error {
  override name = 'BookingSimulatorRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class BookingSimulatorConfigError extends Error {
  override name = 'BookingSimulatorConfigError';
  constructor(
    readonly setting: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Booking simulator setting ${setting} = ${JSON.stringify(value)} is invalid; ${expected}`);
  }
}
