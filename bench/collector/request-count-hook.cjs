/**
 * Loaded into `kafka-otel collect` with `node --require` by the bench's request-counting pass
 * (never during timed rounds): wraps the one method every collector request goes through and
 * counts the calls by API name and broker. The totals are written as JSON to the file named by
 * KAFKA_OTEL_BENCH_REQUEST_COUNT_FILE every 100 ms and at exit; the bench reads them between
 * scrapes and takes differences, so it needs no cooperation from the code it measures.
 *
 * Where the choke point lives comes from the bench (KAFKA_OTEL_BENCH_REQUEST_CHOKE_POINT, JSON
 * { module, exportName, method }), so that its path is written in one place: request-count.ts.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
const fs = require('node:fs');

const FILE_VARIABLE = 'KAFKA_OTEL_BENCH_REQUEST_COUNT_FILE';
const CHOKE_POINT_VARIABLE = 'KAFKA_OTEL_BENCH_REQUEST_CHOKE_POINT';
const FLUSH_MS = 100;

/** Request totals by API and by broker; `record` is called once per request. */
function createRequestTally() {
  const byApi = new Map();
  return {
    record(apiName, broker) {
      const api = String(apiName ?? 'unknown');
      let entry = byApi.get(api);
      if (entry === undefined) {
        entry = { total: 0, byBroker: {} };
        byApi.set(api, entry);
      }
      entry.total++;
      const key = String(broker ?? 'unknown');
      entry.byBroker[key] = (entry.byBroker[key] ?? 0) + 1;
    },
    /** A plain object: { [api]: { total, byBroker: { [broker]: n } } }, APIs sorted by name. */
    snapshot() {
      const out = {};
      for (const api of [...byApi.keys()].sort()) {
        const entry = byApi.get(api);
        out[api] = { total: entry.total, byBroker: { ...entry.byBroker } };
      }
      return out;
    },
  };
}

/** Wraps `target[method]` so that each call is recorded before it runs; returns false if absent. */
function wrapChokePoint(target, method, tally) {
  const original = target?.[method];
  if (typeof original !== 'function') return false;
  target[method] = function countedRequest(call, ...rest) {
    tally.record(call?.spec?.name, this?.address);
    return original.call(this, call, ...rest);
  };
  return true;
}

function install() {
  const file = process.env[FILE_VARIABLE];
  const chokePoint = process.env[CHOKE_POINT_VARIABLE];
  if (!file || !chokePoint) return;
  const { module: modulePath, exportName, method } = JSON.parse(chokePoint);
  const tally = createRequestTally();
  let problem;
  try {
    const exported = require(modulePath)[exportName];
    if (!wrapChokePoint(exported?.prototype, method, tally)) {
      problem = `${exportName}.prototype.${method} not found in ${modulePath}`;
    }
  } catch (error) {
    problem = `cannot load ${modulePath}: ${error.message}`;
  }
  const flush = () => {
    const body = { writtenAt: Date.now(), problem, requests: tally.snapshot() };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(body));
    fs.renameSync(`${file}.tmp`, file);
  };
  flush();
  setInterval(flush, FLUSH_MS).unref();
  process.on('exit', flush);
}

install();

module.exports = { createRequestTally, wrapChokePoint };
