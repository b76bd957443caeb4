// A short job with no telemetry code: it works for a moment and then lets the event loop end.
setTimeout(() => {
  process.stdout.write(JSON.stringify({ event: 'done' }) + '\n');
}, 1_500);
