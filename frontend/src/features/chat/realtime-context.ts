import { createContext } from 'react';
import { getRealtimeConnection, type RealtimeConnection } from '../../lib/socket';

/**
 * How components reach the signed-in session's socket. The app uses the shared connection;
 * tests provide a fake so no real socket is ever opened.
 */
export const RealtimeContext = createContext<() => RealtimeConnection>(getRealtimeConnection);
