/**
 * The parent page the test drives: it stands in for the SPA, iframes JupyterLite and talks to
 * the bridge the way the SPA will (explicit target origin, source and origin checked, replies
 * matched by request id). The test calls `window.hb.request(...)` through Playwright.
 */
export const parentPage = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Hintbook bridge harness</title></head>
  <body style="margin:0">
    <iframe id="lite" style="width:1200px;height:800px;border:0"></iframe>
    <script>
      const frame = document.getElementById('lite');
      const pending = new Map();
      const events = [];
      const responses = [];
      let seq = 0;
      window.addEventListener('message', (event) => {
        if (event.source !== frame.contentWindow || event.origin !== location.origin) return;
        const message = event.data;
        if (!message || message.protocol !== 'hintbook-bridge') return;
        if (message.type === 'response') {
          responses.push(message.requestId);
          const resolve = pending.get(message.requestId);
          pending.delete(message.requestId);
          if (resolve) resolve(message);
        } else if (message.type === 'event') {
          events.push({ ...message, at: performance.now() });
        }
      });
      window.hb = {
        events,
        responses,
        request(body, version = 1) {
          const requestId = 'req-' + ++seq;
          return new Promise((resolve) => {
            pending.set(requestId, resolve);
            frame.contentWindow.postMessage(
              { protocol: 'hintbook-bridge', version, requestId, ...body },
              location.origin,
            );
          });
        },
      };
      // Listen first, then load: the ready event cannot be missed.
      frame.src = '/jupyterlite/lab/index.html';
    </script>
  </body>
</html>
`;
