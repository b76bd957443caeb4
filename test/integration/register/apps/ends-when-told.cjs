// A job with no telemetry code that ends by itself, at a moment the test chooses: it works
// (a timer holds the event loop) until it gets SIGUSR2, then stops working and lets the event
// loop end. Signal listeners hold no event loop, so nothing else of its own keeps it running.
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

const work = setInterval(() => {}, 1_000);
process.once('SIGUSR2', () => {
  clearInterval(work);
  emit({ event: 'done' });
});
emit({ event: 'working' });
