/**
 * The library of named historical stress episodes, each from the S&P 500's closing level at or just before the
 * turmoil (usually its closing high) to its closing low (or, for a rally, its recovery close), as published in the
 * index's daily history. The dates from 2000 on are checked against the daily S&P 500 sample (`sample:sp500-daily`);
 * the earlier ones against the published closing levels named in each description.
 */

import { parseIsoDate } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';

/** A named historical episode: replayed from the close of `start` to the close of `end` (ISO dates, inclusive). */
export interface StressEpisode {
  /** Short identifier (lower case, hyphens), used to select episodes (`--episodes covid-crash-2020`). */
  readonly id: string;
  /** Human name. */
  readonly name: string;
  /** First date, YYYY-MM-DD: the episode's return runs from the close of this day. */
  readonly start: string;
  /** Last date, YYYY-MM-DD: the episode's return runs to the close of this day. */
  readonly end: string;
  /** What happened and where the dates come from. */
  readonly description: string;
}

/**
 * The built-in episodes, in chronological order. Each start and end is an S&P 500 closing date (levels in the
 * descriptions); a start is the last close before the shock when the shock has a date (2001-09-10, 2015-08-10,
 * 2016-06-23), otherwise the closing high before the fall.
 */
export const STRESS_EPISODES: readonly StressEpisode[] = Object.freeze([
  {
    id: 'crash-1987',
    name: '1987 crash (Black Monday)',
    start: '1987-08-25',
    end: '1987-12-04',
    description: 'S&P 500 closing high 336.77 to closing low 223.92; Black Monday (-20.5%) on 1987-10-19',
  },
  {
    id: 'gulf-war-1990',
    name: '1990 Gulf War',
    start: '1990-07-16',
    end: '1990-10-11',
    description: "S&P 500 closing high 368.95 to closing low 295.46 around Iraq's invasion of Kuwait",
  },
  {
    id: 'asian-crisis-1997',
    name: '1997 Asian financial crisis',
    start: '1997-10-07',
    end: '1997-10-27',
    description: 'S&P 500 closing high 983.12 to the close of the 1997-10-27 mini-crash, 876.99',
  },
  {
    id: 'ltcm-1998',
    name: '1998 Russian default and LTCM',
    start: '1998-07-17',
    end: '1998-10-08',
    description:
      'S&P 500 closing high 1186.75 to 959.44 on 1998-10-08, after the LTCM rescue of 1998-09-23 (the close of ' +
      '1998-08-31, 957.28, was marginally lower)',
  },
  {
    id: 'dot-com-2000',
    name: 'Dot-com crash',
    start: '2000-03-24',
    end: '2002-10-09',
    description: 'S&P 500 closing high 1527.46 to closing low 776.76',
  },
  {
    id: 'september-11-2001',
    name: 'September 11 attacks',
    start: '2001-09-10',
    end: '2001-09-21',
    description: 'S&P 500 close before the attacks, 1092.54, to the low after markets reopened, 965.80',
  },
  {
    id: 'gfc-2007',
    name: 'Global financial crisis',
    start: '2007-10-09',
    end: '2009-03-09',
    description: 'S&P 500 closing high 1565.15 to closing low 676.53',
  },
  {
    id: 'flash-crash-2010',
    name: '2010 flash crash and euro debt correction',
    start: '2010-04-23',
    end: '2010-07-02',
    description: 'S&P 500 closing high 1217.28 to closing low 1022.58; the flash crash was on 2010-05-06',
  },
  {
    id: 'us-downgrade-2011',
    name: '2011 US debt ceiling and downgrade',
    start: '2011-04-29',
    end: '2011-10-03',
    description:
      'S&P 500 closing high 1363.61 to closing low 1099.23; the US was downgraded on 2011-08-05 (Friday, after the close)',
  },
  {
    id: 'taper-tantrum-2013',
    name: '2013 taper tantrum',
    start: '2013-05-21',
    end: '2013-06-24',
    description: 'S&P 500 closing high 1669.16 (the eve of the Fed testimony of 2013-05-22) to 1573.09',
  },
  {
    id: 'china-devaluation-2015',
    name: '2015 China devaluation',
    start: '2015-08-10',
    end: '2015-08-25',
    description: 'S&P 500 close before the yuan devaluation of 2015-08-11, 2104.18, to the closing low 1867.61',
  },
  {
    id: 'brexit-2016',
    name: '2016 Brexit vote',
    start: '2016-06-23',
    end: '2016-06-27',
    description: 'S&P 500 close on the day of the referendum, 2113.32, to the closing low 2000.54',
  },
  {
    id: 'volatility-spike-2018',
    name: '2018 February volatility spike',
    start: '2018-01-26',
    end: '2018-02-08',
    description: 'S&P 500 closing high 2872.87 to 2581.00, as short-volatility products collapsed',
  },
  {
    id: 'q4-2018',
    name: '2018 Q4 sell-off',
    start: '2018-09-20',
    end: '2018-12-24',
    description: 'S&P 500 closing high 2930.75 to closing low 2351.10',
  },
  {
    id: 'covid-crash-2020',
    name: 'COVID-19 crash',
    start: '2020-02-19',
    end: '2020-03-23',
    description: 'S&P 500 closing high 3386.15 to closing low 2237.40',
  },
  {
    id: 'covid-recovery-2020',
    name: '2020 recovery',
    start: '2020-03-23',
    end: '2020-08-18',
    description: 'S&P 500 closing low 2237.40 to 3389.78, its first close above the February high',
  },
  {
    id: 'rate-shock-2022',
    name: '2022 rate shock',
    start: '2022-01-03',
    end: '2022-10-12',
    description: 'S&P 500 closing high 4796.56 to closing low 3577.03 as the Fed raised rates',
  },
]);

/** An episode checked: ISO dates, start strictly before end, non-empty id and name. Returns it. */
export function checkEpisode(episode: StressEpisode): StressEpisode {
  if (episode.id.trim() === '' || episode.name.trim() === '') {
    throw new ValidationError('a stress episode needs a non-empty id and name');
  }
  const start = parseIsoDate(episode.start, `the start of episode ${JSON.stringify(episode.id)}`);
  const end = parseIsoDate(episode.end, `the end of episode ${JSON.stringify(episode.id)}`);
  if (!(start < end)) {
    throw new ValidationError(
      `episode ${JSON.stringify(episode.id)} starts on ${episode.start}, not before its end ${episode.end}`,
    );
  }
  return episode;
}

/**
 * The built-in episodes with the given ids, in the order given (all of them when `ids` is undefined). Throws
 * ValidationError naming an unknown id and listing the known ones.
 */
export function selectEpisodes(ids?: readonly string[]): StressEpisode[] {
  if (ids === undefined) return [...STRESS_EPISODES];
  return ids.map((id) => {
    const e = STRESS_EPISODES.find((x) => x.id === id);
    if (e === undefined) {
      throw new ValidationError(
        `unknown stress episode ${JSON.stringify(id)}; the episodes are ${STRESS_EPISODES.map((x) => x.id).join(', ')}`,
      );
    }
    return e;
  });
}
