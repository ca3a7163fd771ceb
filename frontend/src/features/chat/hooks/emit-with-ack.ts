import type { ChatSocket } from '../../../lib/socket';

/**
 * Emits and waits for the server's ack. Resolves null when the ack is lost (the socket dropped
 * or the server took too long): the caller decides whether a resend is safe.
 */
export function emitWithAck<Ack>(
  socket: ChatSocket,
  emit: (socket: ChatSocket, callback: (ack: Ack) => void) => void,
  timeoutMs = 15_000,
): Promise<Ack | null> {
  return new Promise((resolve) => {
    let isSettled = false;
    const finish = (value: Ack | null) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      socket.off('disconnect', handleDisconnect);
      resolve(value);
    };
    const handleDisconnect = () => finish(null);
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('disconnect', handleDisconnect);
    emit(socket, finish);
  });
}
