// Reads an iCalendar file on stdin and prints what Mozilla's ical.js (the parser of
// Thunderbird's calendar) makes of it, as JSON; exits 1 with the parser's error when it
// cannot read it. Used by tests/reminders/test_second_parser.py.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf-8");

function iso(time) {
  return time ? time.toJSDate().toISOString() : null;
}

try {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const refresh = calendar.getFirstProperty("refresh-interval");
  const summary = {
    name: calendar.name,
    version: calendar.getFirstPropertyValue("version"),
    prodid: calendar.getFirstPropertyValue("prodid"),
    calscale: calendar.getFirstPropertyValue("calscale"),
    method: calendar.getFirstPropertyValue("method"),
    calendarName: calendar.getFirstPropertyValue("name"),
    wrCalname: calendar.getFirstPropertyValue("x-wr-calname"),
    refreshInterval: refresh && {
      type: refresh.type,
      seconds: refresh.getFirstValue().toSeconds(),
    },
    events: calendar.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      return {
        uid: event.uid,
        summary: event.summary,
        description: event.description,
        start: iso(event.startDate),
        end: iso(event.endDate),
        startIsUtc: event.startDate.zone === ICAL.Timezone.utcTimezone,
        stamp: iso(vevent.getFirstPropertyValue("dtstamp")),
        url: vevent.getFirstPropertyValue("url"),
        alarms: vevent.getAllSubcomponents("valarm").map((valarm) => {
          const trigger = valarm.getFirstProperty("trigger");
          const value = trigger.getFirstValue();
          const absolute = trigger.type === "date-time";
          // When it rings: the moment itself, or the event's start plus the duration.
          const at = absolute ? value : event.startDate.clone();
          if (!absolute) at.addDuration(value);
          return {
            action: valarm.getFirstPropertyValue("action"),
            description: valarm.getFirstPropertyValue("description"),
            type: trigger.type,
            related: trigger.getParameter("related") || null,
            at: iso(at),
          };
        }),
      };
    }),
  };
  process.stdout.write(JSON.stringify(summary));
} catch (error) {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
}
