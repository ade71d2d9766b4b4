'use strict';

const fs = require('node:fs');

// What Linux says about another process: its CPU time and resident memory, read from /proc.

/** Clock ticks per second of /proc/<pid>/stat's times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of the process so far, in ms (10 ms resolution). */
function cpuMs(pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name may hold spaces and parentheses; the fields after its closing one do not.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the name.
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size now, in bytes. */
function rssBytes(pid) {
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return Number(match[1]) * 1024;
}

/** Samples the RSS every `everyMs` until stop(), which resolves with the highest value seen. */
function rssPeak(pid, everyMs = 50) {
	let peak = rssBytes(pid);
	const timer = setInterval(() => {
		peak = Math.max(peak, rssBytes(pid));
	}, everyMs);
	return {
		stop() {
			clearInterval(timer);
			return Math.max(peak, rssBytes(pid));
		},
	};
}

module.exports = { cpuMs, rssBytes, rssPeak };
