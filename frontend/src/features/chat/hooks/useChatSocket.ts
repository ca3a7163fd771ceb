import { useContext, useEffect, useSyncExternalStore } from 'react';
import type { ConnectionState, RealtimeConnection } from '../../../lib/socket';
import { RealtimeContext } from '../realtime-context';

/** The session's socket, opened on first use by a page that needs it. */
export function useChatSocket(): RealtimeConnection {
  const getConnection = useContext(RealtimeContext);
  const connection = getConnection();
  useEffect(() => {
    connection.open();
  }, [connection]);
  return connection;
}

/** Re-renders on every change of the connection's status. */
export function useConnectionState(connection: RealtimeConnection): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.getState, connection.getState);
}
