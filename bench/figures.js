'use strict';

// Small shared pieces of every case: items, figures net of the 1-item run, verdicts, formatting.

/** `count` empty items (the workflows read what they need from their own parameters). */
const items = (count, make = () => ({})) => Array.from({ length: count }, (_, index) => make(index));

/** A run's node time net of the 1-item run of the same workflow and settings: what the items themselves cost. */
const net = (run, one) => run.nodeMs - one.nodeMs;

const verdict = (ok) => (ok ? 'PASS' : 'MISS');

const s = (ms) => (ms / 1000).toFixed(2);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

module.exports = { items, net, verdict, s, median };
