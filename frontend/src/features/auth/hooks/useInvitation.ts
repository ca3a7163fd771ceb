import { useEffect, useState } from 'react';
import type { InvitationLookupResponse } from '@hintbook/contracts';
import { messageOf } from '../../../lib/form-errors';
import { lookUpInvitation } from '../api';
import { takeLinkToken } from '../link-token';

export type InvitationState =
  | { status: 'none' }
  | { status: 'loading'; token: string }
  | { status: 'ready'; token: string; invitation: InvitationLookupResponse }
  | { status: 'failed'; message: string };

/** The invitation in the address (`/register#invite=…`), looked up once. */
export function useInvitation(): InvitationState {
  const [token] = useState(() => takeLinkToken('invite'));
  const [state, setState] = useState<InvitationState>(
    token ? { status: 'loading', token } : { status: 'none' },
  );

  useEffect(() => {
    if (!token) return;
    let isCurrent = true;
    lookUpInvitation(token).then(
      (invitation) => isCurrent && setState({ status: 'ready', token, invitation }),
      (error: unknown) => isCurrent && setState({ status: 'failed', message: messageOf(error) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [token]);
  return state;
}
