/** Injected wherever time matters (lockouts, token expiry) so tests can move it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
