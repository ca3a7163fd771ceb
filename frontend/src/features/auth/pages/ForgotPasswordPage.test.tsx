import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../../../test/fetch-mock';
import { renderSignedOut } from '../../../test/render-app';

const options = (canSendMail: boolean) =>
  jsonResponse(200, { canSendMail, emailVerification: 'admins', oidcProviders: [] });

describe('ForgotPasswordPage', () => {
  it('says at once who can help when this Hintbook cannot send email', async () => {
    const { mock } = await renderSignedOut('/forgot-password', {
      beforeRender: (mock) => mock.on('GET /api/auth/options', options(false)),
    });

    expect(await screen.findByText(/This Hintbook cannot send email/)).toBeTruthy();
    expect(screen.getByText(/Ask your teacher/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send me a link' })).toBeNull();
    expect(mock.requestsTo('POST /api/auth/password-reset')).toHaveLength(0);
  });

  it('asks for the address when mail works', async () => {
    await renderSignedOut('/forgot-password', {
      beforeRender: (mock) => mock.on('GET /api/auth/options', options(true)),
    });

    expect(await screen.findByRole('button', { name: 'Send me a link' })).toBeTruthy();
    expect(screen.queryByText(/This Hintbook cannot send email/)).toBeNull();
  });
});
