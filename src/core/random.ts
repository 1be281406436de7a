/**
 * Seeded pseudo-random numbers: xoshiro256** (Blackman & Vigna 2018, https://prng.di.unimi.it/) seeded through
 * SplitMix64, with uniform doubles of 53 random bits, unbiased integers, and exact samplers for the normal, Student-t,
 * gamma and exponential distributions.
 *
 * Reproducibility: the same seed gives the same numbers, bit for bit, on every platform and Node version. The 64-bit
 * generator runs on 32-bit integer halves (`|`, `^`, `<<`, `>>>`, `Math.imul`, and additions whose exact results stay
 * below 2^53), and the samplers use only `+ - * /`, `Math.sqrt` (correctly rounded by IEEE 754) and `Math.log`,
 * `Math.exp`, `Math.expm1`, which V8 computes with its own ports of fdlibm rather than the platform's C library.
 * BigInt appears only when a generator is created or forked, never per number.
 *
 * reference/random/xoshiro256starstar.py re-implements all of this with Python integers, checks itself against the
 * published vectors of SplitMix64 and xoshiro256**, and writes the values test/core/random.test.ts compares with;
 * reference/random/ziggurat.py does the same for the batched normals of `fillNormal` and derives their tables.
 */

import { ValidationError } from './errors.js';

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** 2^-53: a 53-bit integer times this is a double in [0, 1) with every bit random. */
const INV_TWO_POW_53 = 1 / TWO_POW_53;
/** 2^-32. */
const INV_TWO_POW_32 = 1 / TWO_POW_32;
/** 2^-52. */
const INV_TWO_POW_52 = 2 ** -52;

/**
 * The 256-layer normal ziggurat (Marsaglia & Tsang, J. Stat. Softw. 5(8), 2000). With f(x) = exp(-x^2 / 2), the
 * boundaries r = x_1 > x_2 > ... > x_256 = 0 cut the region under f on x >= 0 into a base layer (the rectangle
 * [0, r] x [0, f(r)] and the tail beyond r) and 255 rectangles [0, x_i] x [f(x_i), f(x_{i+1})], all of the same area
 * v = r f(r) + integral_r^inf f = 0.0049286732339746...; r = 3.6541528853610088. `ZIGGURAT_X[0] = v / f(r)` (the
 * width of a rectangle of area v and height f(r)), `ZIGGURAT_X[i] = x_i` for i = 1..256, and
 * `ZIGGURAT_F[i] = f(ZIGGURAT_X[i])`. reference/random/ziggurat.py solves for r and computes every entry with 80-digit
 * decimal arithmetic; these are those values rounded to the nearest double, written out so that no table depends on a
 * platform's exp or log.
 */
const ZIGGURAT_X = new Float64Array([
  3.910757959524916, 3.654152885361009, 3.449278298561431, 3.3202447338398255, 3.2245750520478014, 3.147889289518001,
  3.0835261320021434, 3.0278377917695933, 2.978603279881843, 2.9343668672088876, 2.894121053613412, 2.8571387308732246,
  2.822877396826443, 2.7909211740019275, 2.760944005279986, 2.7326853590440114, 2.705933656123062, 2.680514643285745,
  2.6562830375767432, 2.6331163936315827, 2.6109105184888235, 2.5895759867082866, 2.569035452681844, 2.5492215503247833,
  2.530075232159854, 2.5115444416266945, 2.4935830412710467, 2.476149939670523, 2.459208374334705, 2.442725318200364,
  2.4266709849371466, 2.4110184139011195, 2.3957431197819274, 2.3808227951720857, 2.366237056717291, 2.3519672273791445,
  2.337996148796529, 2.3243080188711325, 2.310888250601372, 2.2977233489028634, 2.284800802724492, 2.2721089902283818,
  2.2596370951737876, 2.247375032947389, 2.235313384929921, 2.2234433400925107, 2.211756642884161, 2.2002455466112765,
  2.1889027716263607, 2.177721467740293, 2.1666951803543086, 2.1558178198767375, 2.145083634047889, 2.134487182846017,
  2.1240233156895236, 2.113687150686653, 2.1034740557148774, 2.093379631138792, 2.0833996939983046, 2.073530263518743,
  2.0637675478117323, 2.0541079316506523, 2.0445479652175313, 2.035084353729619, 2.025713947863854, 2.016433734906204,
  2.0072408305605287, 1.9981324713584196, 1.989106007617438, 1.9801588969004766, 1.9712886979336592, 1.962493064944363,
  1.9537697423846467, 1.9451165600086784, 1.9365314282756947, 1.9280123340526658, 1.9195573365931882,
  1.9111645637712533, 1.9028322085504292, 1.8945585256707047, 1.8863418285367828, 1.8781804862929958,
  1.8700729210712668, 1.8620176053996742, 1.8540130597602018, 1.8460578502851854, 1.8381505865828067, 1.830289919682757,
  1.8224745400938858, 1.8147031759662826, 1.8069745913508208, 1.7992875845497203, 1.7916409865521625,
  1.7840336595494415, 1.7764644955245228, 1.7689324149112686, 1.7614363653189102, 1.7539753203176716,
  1.7465482782817223, 1.7391542612859117, 1.7317923140529632, 1.724461502948045, 1.717160915017823, 1.7098896570713018,
  1.7026468547999232, 1.6954316519345616, 1.6882432094371953, 1.681080704725174, 1.673943330926125, 1.6668302961616654,
  1.6597408228581825, 1.652674147083056, 1.6456295179047824, 1.6386061967755476, 1.6316034569348736, 1.6246205828330347,
  1.6176568695730156, 1.6107116223698301, 1.6037841560260946, 1.5968737944227882, 1.5899798700241907,
  1.5831017233960292, 1.5762387027359064, 1.5693901634151237, 1.562555467531045, 1.5557339834691764, 1.5489250854741734,
  1.5421281532290019, 1.535342571441514, 1.5285677294377125, 1.521803020760998, 1.5150478427767147, 1.5083015962813116,
  1.5015636851154637, 1.4948335157804935, 1.4881104970574475, 1.4813940396281873, 1.4746835556978555,
  1.4679784586180795, 1.4612781625102755, 1.4545820818884103, 1.447889631280576, 1.441200224848724, 1.4345132760058923,
  1.427828197030256, 1.421144398675309, 1.4144612897754711, 1.407778276846399, 1.401094763679251, 1.394410150928141,
  1.3877238356899761, 1.3810352110758555, 1.3743436657731662, 1.367648583597476, 1.360949343033283, 1.354245316762635,
  1.3475358711805872, 1.340820365896404, 1.33409815321936, 1.3273685776279258, 1.3206309752210563, 1.3138846731502205,
  1.3071289890307312, 1.3003632303308372, 1.2935866937369478, 1.2867986644932436, 1.279998415713818, 1.2731852076653563,
  1.2663582870182295, 1.2595168860637143, 1.2526602218948972, 1.2457874955486272, 1.2388978911056874,
  1.2319905747461362, 1.2250646937565308, 1.2181193754854815, 1.211153726243699, 1.2041668301443815, 1.1971577478794415,
  1.190125515426692, 1.1830691426826867, 1.175987612015452, 1.168879876730833, 1.1617448594456115, 1.1545814503599277,
  1.147388505420849, 1.1401648443681514, 1.1329092486525338, 1.1256204592155334, 1.118297174119345, 1.1109380460135758,
  1.1035416794246398, 1.0961066278520215, 1.0886313906539797, 1.0811144097034038, 1.0735540657924363,
  1.0659486747621225, 1.0582964833306752, 1.05059566459093, 1.042844313144149, 1.035040439833441, 1.0271819660356458,
  1.0192667174654841, 1.0112924174399958, 1.003256679544673, 0.995156999635091, 0.9869907470990624, 0.9787551552942246,
  0.9704473110642244, 0.9620641432230406, 0.953602409881086, 0.9450586844681654, 0.9364293402865751, 0.9277105334020002,
  0.9188981836495906, 0.9099879534967185, 0.9009752244612218, 0.8918550707329416, 0.8826222295851656,
  0.8732710680888608, 0.8637955455533088, 0.8541891710081638, 0.8444449549091539, 0.8345553540863822,
  0.8245122087522921, 0.8143066701352152, 0.8039291169899713, 0.7933690588406233, 0.7826150233072331,
  0.7716544242245681, 0.7604734064301081, 0.7490566620178153, 0.7373872114342956, 0.7254461409099996,
  0.7132122851909759, 0.7006618411068151, 0.6877678927957885, 0.6744998228372938, 0.6608225742444197,
  0.6466957148949938, 0.6320722363860611, 0.6168969900077514, 0.6011046177559927, 0.5846167661063794,
  0.5673382570538188, 0.5491517023271651, 0.5299097206615582, 0.5094233296020918, 0.487443966139236,
  0.46363433679088223, 0.4375184022078717, 0.40838913461199117, 0.37512133287838056, 0.33573751921442524,
  0.2861745917920725, 0.2152418959848817, 0,
]);
/** `ZIGGURAT_F[i] = exp(-X[i]^2 / 2)`: the density (without its constant 1 / sqrt(2 pi)) at the layer boundaries. */
const ZIGGURAT_F = new Float64Array([
  0.0004774677646093877, 0.0012602859304985975, 0.0026090727461021636, 0.0040379725933630305, 0.005522403299251001,
  0.007050875471373223, 0.008616582769398728, 0.010214971439701478, 0.01184275785790789, 0.01349745060173988,
  0.01517708830793533, 0.01688008315254317, 0.018605121275724647, 0.02035109623004451, 0.022117062707308874,
  0.023902203305795882, 0.02570580400854891, 0.02752723566960308, 0.02936593975813332, 0.031221417191920255,
  0.033093219458578536, 0.03498094146171609, 0.03688421568856727, 0.0388027074045261, 0.040736110655940946,
  0.04268414491647442, 0.04464655225129446, 0.046623094901930374, 0.04861355321586855, 0.05061772386094778,
  0.0526354182767922, 0.05466646132488892, 0.056710690106202895, 0.05876795292093374, 0.060838108349539885,
  0.06292102443775816, 0.06501657797124283, 0.0671246538277885, 0.06924514439700674, 0.07137794905889039,
  0.07352297371398131, 0.0756801303589271, 0.07784933670209605, 0.08003051581466308, 0.0822235958132029,
  0.08442850957035337, 0.08664519445055799, 0.08887359206827579, 0.09111364806637365, 0.09336531191269083,
  0.0956285367130088, 0.09790327903886228, 0.10018949876880982, 0.10248715894193507, 0.10479622562248689,
  0.10711666777468368, 0.10944845714681162, 0.11179156816383799, 0.11414597782783836, 0.11651166562561079,
  0.11888861344290994, 0.12127680548479017, 0.12367622820159659, 0.12608687022018591, 0.12850872227999957,
  0.13094177717364436, 0.13338602969166916, 0.13584147657125376, 0.13830811644855073, 0.1407859498144447,
  0.14327497897351343, 0.14577520800599406, 0.14828664273257455, 0.15080929068184568, 0.15334316106026286,
  0.1558882647244792, 0.1584446141559243, 0.1610122234375111, 0.16359110823236572, 0.16618128576448207,
  0.16878277480121154, 0.17139559563750595, 0.17401977008183878, 0.17665532144373497, 0.1793022745228477,
  0.1819606555995226, 0.18463049242679924, 0.1873118142238003, 0.190004651670465, 0.19270903690358918,
  0.19542500351413433, 0.1981525865457751, 0.20089182249465662, 0.20364274931033488, 0.20640540639788077,
  0.20917983462112502, 0.2119660763070302, 0.21476417525117358, 0.2175741767243312, 0.22039612748015197,
  0.22323007576391746, 0.22607607132238017, 0.22893416541468026, 0.2318044108243386, 0.2346868618723299,
  0.23758157443123798, 0.24048860594050045, 0.24340801542275015, 0.24633986350126372, 0.2492842124185283,
  0.25224112605594196, 0.2552106699546617, 0.2581929113376189, 0.26118791913272094, 0.2641957639972608,
  0.2672165183435612, 0.27025025636587524, 0.2732970540685769, 0.2763569892956681, 0.2794301417616378,
  0.28251659308370747, 0.28561642681550165, 0.2887297284821827, 0.291856585617095, 0.29499708779996164,
  0.29815132669668537, 0.30131939610080294, 0.3045013919766499, 0.30769741250429195, 0.31090755812628634,
  0.31413193159633707, 0.31737063802991344, 0.3206237849569053, 0.3238914823763911, 0.32717384281360135,
  0.3304709813791635, 0.33378301583071834, 0.33711006663700593, 0.34045225704452176, 0.3438097131468506,
  0.3471825639567935, 0.350570941481406, 0.35397498080007667, 0.3573948201457802, 0.3608306009896478,
  0.36428246812900383, 0.36775056977903237, 0.3712350576682392, 0.3747360871378909, 0.37825381724561896,
  0.3817884108733934, 0.38534003484007706, 0.3889088600187886, 0.39249506145931545, 0.39609881851583223,
  0.3997203149801971, 0.4033597392211144, 0.40701728432947326, 0.41069314827018805, 0.414387534040891,
  0.418100649837848, 0.42183270922949573, 0.4255839313380218, 0.4293545410294413, 0.4331447691126521,
  0.4369548525479854, 0.44078503466580377, 0.4446355653957393, 0.4485067015072028, 0.4523987068618483,
  0.45631185267871616, 0.4602464178128426, 0.46420268904817397, 0.4681809614056932, 0.4721815384677298,
  0.4762047327195056, 0.48025086590904653, 0.48432026942668294, 0.4884132847054577, 0.4925302636438682,
  0.49667156905248944, 0.5008375751261485, 0.505028667943468, 0.5092452459957476, 0.5134877207473266, 0.517756517229756,
  0.5220520746723214, 0.526374847171684, 0.5307253044036616, 0.5351039323804572, 0.5395112342569516, 0.5439477311900258,
  0.5484139632552654, 0.552910490425832, 0.5574378936187656, 0.561996775814524, 0.566587763256164, 0.5712115067352527,
  0.5758686829723532, 0.5805599961007905, 0.5852861792633709, 0.5900479963328255, 0.594846243767987, 0.5996817526191249,
  0.6045553906974676, 0.6094680649257731, 0.6144207238889136, 0.619414360605834, 0.6244500155470262, 0.6295287799248364,
  0.6346517992876233, 0.6398202774530563, 0.6450354808208221, 0.6502987431108164, 0.655611470579697, 0.6609751477766629,
  0.6663913439087499, 0.6718617198970818, 0.6773880362187731, 0.6829721616449944, 0.6886160830046715,
  0.6943219161261164, 0.7000919181365112, 0.7059285013327539, 0.7118342488782481, 0.7178119326307216,
  0.7238645334686298, 0.7299952645614759, 0.7362075981268623, 0.7425052963401507, 0.7488924472191565,
  0.7553735065070958, 0.7619533468367948, 0.7686373157984858, 0.7754313049811867, 0.7823418326548021,
  0.7893761435660241, 0.7965423304229586, 0.8038494831709639, 0.8113078743126559, 0.818929191603702, 0.826726833946221,
  0.8347162929868831, 0.8429156531122038, 0.8513462584586776, 0.8600336211963312, 0.8690086880368567,
  0.8783096558089171, 0.887984660755833, 0.8980959218983431, 0.9087264400521305, 0.9199915050393467, 0.9320600759592302,
  0.9451989534422993, 0.9598790918001064, 0.9771017012676713, 1,
]);

/** Marsaglia & Tsang's r: where the tail begins, `ZIGGURAT_X[1]`. */
const ZIGGURAT_R = ZIGGURAT_X[1] as number;

/**
 * Copies of the ziggurat tables of `Random.fillNormal`: the layer boundaries `x` (X[0..256]) and `f[i] =
 * exp(-x[i]^2 / 2)`, for tests and inspection (not part of the library's index).
 */
export function normalZigguratTables(): { readonly x: Float64Array; readonly f: Float64Array } {
  return { x: ZIGGURAT_X.slice(), f: ZIGGURAT_F.slice() };
}

/**
 * SplitMix64's output function (Steele, Lea & Flood 2014, constants of Stafford's "Mix13"): a bijection of 64-bit
 * integers that turns nearby inputs into unrelated outputs.
 */
function mix64(z: bigint): bigint {
  let x = z & MASK64;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return x ^ (x >> 31n);
}

/** FNV-1a 64-bit hash of the UTF-8 bytes of `text`. */
function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  return h;
}

/**
 * A uniform double in (0, 1) from a 64-bit output (signed 32-bit halves hi, lo): its top 52 bits m give
 * `(m + 1/2) * 2^-52`, computed exactly (hi contributes 2^-1 .. 2^-32, lo's 20 bits plus the half 2^-33 .. 2^-53).
 */
function openUniform52(hi: number, lo: number): number {
  return (hi >>> 0) * INV_TWO_POW_32 + ((lo >>> 12) + 0.5) * INV_TWO_POW_52;
}

/**
 * The fast path of `Random.fillNormal` over `out[start..end)`: xoshiro256** stepped on local copies of the state words
 * `s[0..7]` (layout of `Random`), each output w giving the candidate `z = u * X[i]` (layer `i = w & 0xff`, sign bit 8,
 * u from the top 52 bits); a candidate inside its layer's rectangle (`z < X[i + 1]`) is stored as +-z. Stops at the
 * first candidate that is not, leaving its output's halves in `s[8]` (high) and `s[9]` (low) for the wedge or tail
 * test, and returns that slot's index; returns `end` when every slot is filled. The state is written back either way.
 *
 * The 64-bit products of the output function use shifts and adds with the carry out of the low word computed without
 * a branch (`((a & b) | ((a | b) & ~sum)) >>> 31`, the majority of the top bits): the carry is random, and a branch on
 * it would be mispredicted half the time.
 */
function zigguratFastPath(s: Int32Array, out: Float64Array, start: number, end: number): number {
  const xs = ZIGGURAT_X;
  let s0h = s[0] as number;
  let s0l = s[1] as number;
  let s1h = s[2] as number;
  let s1l = s[3] as number;
  let s2h = s[4] as number;
  let s2l = s[5] as number;
  let s3h = s[6] as number;
  let s3l = s[7] as number;
  let k = start;
  for (; k < end; k++) {
    // s1 * 5 = (s1 << 2) + s1
    let ah = (s1h << 2) | (s1l >>> 30);
    let al = s1l << 2;
    let lo = (al + s1l) | 0;
    let hi = (ah + s1h + (((al & s1l) | ((al | s1l) & ~lo)) >>> 31)) | 0;
    // rotl(., 7)
    const rh = (hi << 7) | (lo >>> 25);
    const rl = (lo << 7) | (hi >>> 25);
    // * 9 = (. << 3) + .
    ah = (rh << 3) | (rl >>> 29);
    al = rl << 3;
    lo = (al + rl) | 0;
    hi = (ah + rh + (((al & rl) | ((al | rl) & ~lo)) >>> 31)) | 0;
    // The state transition, as in Random.#step.
    const th = (s1h << 17) | (s1l >>> 15);
    const tl = s1l << 17;
    const n2h = s2h ^ s0h;
    const n2l = s2l ^ s0l;
    const n3h = s3h ^ s1h;
    const n3l = s3l ^ s1l;
    s1h ^= n2h;
    s1l ^= n2l;
    s0h ^= n3h;
    s0l ^= n3l;
    s2h = n2h ^ th;
    s2l = n2l ^ tl;
    s3h = (n3l << 13) | (n3h >>> 19);
    s3l = (n3h << 13) | (n3l >>> 19);

    const i = lo & 0xff;
    const z = openUniform52(hi, lo) * (xs[i] as number);
    if (z < (xs[i + 1] as number)) {
      // +-z as z * (1 - 2 * bit 8), exact: the sign is random, and a branch on it would be mispredicted half the time.
      out[k] = z * (1 - ((lo >>> 7) & 2));
      continue;
    }
    s[8] = hi;
    s[9] = lo;
    break;
  }
  s[0] = s0h;
  s[1] = s0l;
  s[2] = s1h;
  s[3] = s1l;
  s[4] = s2h;
  s[5] = s2l;
  s[6] = s3h;
  s[7] = s3l;
  return k;
}

/**
 * A seeded xoshiro256** generator with samplers for common distributions. Not cryptographically secure.
 *
 * The 256-bit state lives in an Int32Array as eight 32-bit words: for 64-bit word k, `state[2k]` holds the high and
 * `state[2k + 1]` the low 32 bits (words 8 and 9 pass one output from `fillNormal`'s fast path to its slow path).
 * Period 2^256 - 1; its authors report that it passes BigCrush and PractRand.
 */
export class Random {
  /**
   * The 64-bit key this generator's state was derived from: the seed itself for `new Random(seed)`, the derived key
   * for `fork`, and a hash of the state for `fromState`. `fork` derives child keys from it.
   */
  readonly key: bigint;
  readonly #s = new Int32Array(10);
  /** High and low 32 bits (signed) of the latest 64-bit output. */
  #hi = 0;
  #lo = 0;
  /** The second normal of the latest polar pair, returned by the next `normal()` call when `#hasSpare`. */
  #spare = 0;
  #hasSpare = false;

  /**
   * A generator seeded with `seed`, a whole number from 0 to 2^64 - 1 (a number up to 2^53 - 1, or a bigint).
   * The state is the first four SplitMix64 outputs from the seed, as the xoshiro authors recommend.
   * Throws ValidationError for any other seed.
   */
  constructor(seed: number | bigint = 0) {
    let key: bigint;
    if (typeof seed === 'bigint') {
      if (seed < 0n || seed > MASK64)
        throw new ValidationError(`a random seed must be from 0 to 2^64 - 1, got ${seed}`);
      key = seed;
    } else {
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new ValidationError(`a random seed must be a whole number from 0 to 2^53 - 1, got ${seed}`);
      }
      key = BigInt(seed);
    }
    this.key = key;
    let x = key;
    for (let k = 0; k < 4; k++) {
      x = (x + GOLDEN_GAMMA) & MASK64;
      this.#setWord(k, mix64(x));
    }
  }

  /**
   * A generator with the given raw xoshiro256** state: four 64-bit words (bigints from 0 to 2^64 - 1, not all 0),
   * s[0] first, exactly as in the reference C code. For reproducing published test vectors; use `new Random(seed)`
   * otherwise. Its `key` is a SplitMix64 hash of the four words.
   */
  static fromState(state: readonly bigint[]): Random {
    if (state.length !== 4 || state.some((w) => w < 0n || w > MASK64) || state.every((w) => w === 0n)) {
      throw new ValidationError('a xoshiro256** state is four 64-bit words from 0 to 2^64 - 1, not all zero');
    }
    let key = 0n;
    for (let k = 3; k >= 0; k--) key = mix64(key ^ (state[k] as bigint));
    const r = new Random(key);
    for (let k = 0; k < 4; k++) r.#setWord(k, state[k] as bigint);
    return r;
  }

  /**
   * An independent generator for the sub-stream named `label`, seeded with the key
   * `mix64(key XOR mix64(FNV-1a-64(UTF-8 label)))`. The child depends only on this generator's key and the label,
   * not on how many numbers this generator has produced, and producing numbers from either never affects the other,
   * so a program can give each part of a computation its own stream (`rng.fork('market')`, `rng.fork('asset:7')`)
   * and change one part without changing the numbers the others see. The same label gives the same stream.
   */
  fork(label: string | number): Random {
    return new Random(mix64(this.key ^ mix64(fnv1a64(String(label)))));
  }

  #setWord(k: number, w: bigint): void {
    this.#s[2 * k] = Number(w >> 32n) | 0;
    this.#s[2 * k + 1] = Number(w & 0xffffffffn) | 0;
  }

  /**
   * Advances the state one step and leaves the 64-bit output in `#hi`/`#lo` (signed 32-bit halves). xoshiro256**:
   * `out = rotl(s1 * 5, 7) * 9; t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)`,
   * all modulo 2^64.
   */
  #step(): void {
    const s = this.#s;
    const s0h = s[0] as number;
    const s0l = s[1] as number;
    const s1h = s[2] as number;
    const s1l = s[3] as number;
    const s2h = s[4] as number;
    const s2l = s[5] as number;
    const s3h = s[6] as number;
    const s3l = s[7] as number;

    // s1 * 5: the low product (< 2^35) is exact in a double; its high part carries into the high word.
    let p = (s1l >>> 0) * 5;
    let lo = p >>> 0;
    let hi = (Math.imul(s1h, 5) + (p - lo) * INV_TWO_POW_32) | 0;
    // rotl(., 7)
    const rh = (hi << 7) | (lo >>> 25);
    const rl = (lo << 7) | (hi >>> 25);
    // * 9
    p = (rl >>> 0) * 9;
    lo = p >>> 0;
    hi = (Math.imul(rh, 9) + (p - lo) * INV_TWO_POW_32) | 0;
    this.#hi = hi;
    this.#lo = lo | 0;

    // t = s1 << 17
    const th = (s1h << 17) | (s1l >>> 15);
    const tl = s1l << 17;
    const n2h = s2h ^ s0h;
    const n2l = s2l ^ s0l;
    const n3h = s3h ^ s1h;
    const n3l = s3l ^ s1l;
    s[2] = s1h ^ n2h;
    s[3] = s1l ^ n2l;
    s[0] = s0h ^ n3h;
    s[1] = s0l ^ n3l;
    s[4] = n2h ^ th;
    s[5] = n2l ^ tl;
    // rotl(s3, 45) = rotl(swap halves, 13)
    s[6] = (n3l << 13) | (n3h >>> 19);
    s[7] = (n3h << 13) | (n3l >>> 19);
  }

  /** The next 64-bit output as a bigint from 0 to 2^64 - 1 (for tests and interoperability; slower than the rest). */
  nextBigUint64(): bigint {
    this.#step();
    return (BigInt(this.#hi >>> 0) << 32n) | BigInt(this.#lo >>> 0);
  }

  /** A uniform integer from 0 to 2^32 - 1: the high 32 bits of the next 64-bit output. */
  nextUint32(): number {
    this.#step();
    return this.#hi >>> 0;
  }

  /** A uniform integer from 0 to 2^53 - 1: the next 64-bit output shifted right by 11 bits. */
  #next53(): number {
    this.#step();
    return (this.#hi >>> 0) * 2097152 + (this.#lo >>> 11);
  }

  /**
   * A uniform double in [0, 1): `(x >>> 11) * 2^-53` for the next 64-bit output x, so every multiple of 2^-53 in
   * [0, 1) is equally likely (the xoshiro authors' recommended conversion).
   */
  nextDouble(): number {
    this.#step();
    return (this.#hi >>> 0) * INV_TWO_POW_32 + (this.#lo >>> 11) * INV_TWO_POW_53;
  }

  /**
   * A uniform whole number from 0 to n - 1, exactly unbiased: draws 53-bit integers x, rejects those at or above
   * `2^53 - (2^53 mod n)` (a fraction below n / 2^53 of them), and returns `x mod n`. `n` must be a whole number
   * from 1 to 2^53; ValidationError otherwise.
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_53) {
      throw new ValidationError(`Random.int needs a whole number from 1 to 2^53, got ${n}`);
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    for (;;) {
      const x = this.#next53();
      if (x < limit) return x % n;
    }
  }

  /**
   * A standard normal variate (mean 0, variance 1) by Marsaglia's polar method: draws (u, v) uniform on the square
   * (-1, 1)^2 until `0 < w = u^2 + v^2 < 1`, then `u * f` and `v * f` with `f = sqrt(-2 ln(w) / w)` are two independent
   * standard normals; the second is kept and returned by the next call. For many normals at once, `fillNormal` is
   * several times faster (a different stream: the ziggurat method).
   */
  normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    let u: number;
    let v: number;
    let w: number;
    do {
      u = 2 * this.nextDouble() - 1;
      v = 2 * this.nextDouble() - 1;
      w = u * u + v * v;
    } while (w >= 1 || w === 0);
    const f = Math.sqrt((-2 * Math.log(w)) / w);
    this.#spare = v * f;
    this.#hasSpare = true;
    return u * f;
  }

  /**
   * Fills `out[start..end)` with independent standard normals by the ziggurat method (Marsaglia & Tsang 2000, 256
   * layers; see `ZIGGURAT_X`), four to five times as fast as calling `normal()` for each. Returns `out`.
   *
   * Each draw takes the next 64-bit output w and splits it into independent fields (as Doornik 2005 recommends, so
   * that the layer and the abscissa share no bits): layer `i = w & 0xff`, sign bit 8 (bits 9-11 unused) and
   * `u = ((w >>> 12) + 1/2) * 2^-52` in (0, 1). With `z = u * X[i]`:
   * - `z < X[i + 1]` (98.5% of the candidates): the draw is z, negated when the sign bit is set;
   * - otherwise, for i = 0, a draw from the tail beyond r (Marsaglia 1964): with u1, u2 the uniforms of the next two
   *   outputs (same conversion), `a = -ln(u1) / r`, `b = -ln(u2)`, repeated until `b + b >= a * a`; the draw is
   *   +-(r + a);
   * - otherwise (the wedge of layer i) with u3 the uniform of the next output, z is the draw (signed) when
   *   `F[i] + u3 (F[i + 1] - F[i]) < exp(-z^2 / 2)`, and the candidate is rejected when not (0.7% of them): the draw
   *   starts again from the next output.
   *
   * Reproducibility: the numbers depend only on the generator's state. They form one stream, so filling a range in
   * pieces gives what one call gives (`fillNormal(a, 0, 5)` then `fillNormal(a, 5, 9)` equals `fillNormal(a, 0, 9)`).
   * Apart from `Math.log` and `Math.exp` in the tail and wedge tests, every step is a single IEEE 754 operation and
   * the tables are literal doubles. This stream is distinct from `normal()`'s (the polar method): `fillNormal`
   * neither uses nor discards the spare normal that `normal()` keeps. reference/random/ziggurat.py implements the
   * same steps from the published algorithm and pins the first draws of several seeds.
   *
   * `start` and `end` must be whole numbers with `0 <= start <= end <= out.length` (defaults: the whole array);
   * ValidationError otherwise.
   */
  fillNormal(out: Float64Array, start = 0, end: number = out.length): Float64Array {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end > out.length) {
      throw new ValidationError(
        `fillNormal needs whole numbers 0 <= start <= end <= ${out.length} (the length), got ${start} and ${end}`,
      );
    }
    const s = this.#s;
    let k = start;
    while (k < end) {
      k = zigguratFastPath(s, out, k, end);
      if (k < end) out[k++] = this.#zigguratSlowPath(s[8] as number, s[9] as number);
    }
    return out;
  }

  /**
   * Finishes a ziggurat draw whose first candidate (the output with halves hi, lo) fell outside its layer's rectangle:
   * the tail or wedge test, then, after a rejection, new candidates from the next outputs until one is accepted.
   */
  #zigguratSlowPath(hi: number, lo: number): number {
    for (;;) {
      const i = lo & 0xff;
      const negative = (lo & 0x100) !== 0;
      const z = openUniform52(hi, lo) * (ZIGGURAT_X[i] as number);
      if (z < (ZIGGURAT_X[i + 1] as number)) return negative ? -z : z;
      if (i === 0) {
        let a: number;
        let b: number;
        do {
          a = -Math.log(this.#openUniform()) / ZIGGURAT_R;
          b = -Math.log(this.#openUniform());
        } while (b + b < a * a);
        return negative ? -(ZIGGURAT_R + a) : ZIGGURAT_R + a;
      }
      const fi = ZIGGURAT_F[i] as number;
      const y = fi + this.#openUniform() * ((ZIGGURAT_F[i + 1] as number) - fi);
      if (y < Math.exp(-0.5 * z * z)) return negative ? -z : z;
      this.#step();
      hi = this.#hi;
      lo = this.#lo;
    }
  }

  /** The next output as a uniform double in (0, 1), `((w >>> 12) + 1/2) * 2^-52` (the ziggurat's conversion). */
  #openUniform(): number {
    this.#step();
    return openUniform52(this.#hi, this.#lo);
  }

  /**
   * A Student-t variate with `nu` degrees of freedom (mean 0 for nu > 1, variance nu / (nu - 2) for nu > 2), by
   * Bailey's polar method (Math. Comp. 62, 1994, 779-781): with (u, v) uniform on the unit disc and `w = u^2 + v^2`,
   * `u * sqrt(nu * (w^(-2/nu) - 1) / w)` is exactly t-distributed; `w^(-2/nu) - 1` is computed as
   * `expm1(-2 ln(w) / nu)` to stay accurate for large nu. `nu = Infinity` gives a standard normal. `nu` must be a
   * number greater than 0; ValidationError otherwise.
   */
  studentT(nu: number): number {
    if (nu === Number.POSITIVE_INFINITY) return this.normal();
    if (!(nu > 0)) throw new ValidationError(`Student-t degrees of freedom must be greater than 0, got ${nu}`);
    let u: number;
    let v: number;
    let w: number;
    do {
      u = 2 * this.nextDouble() - 1;
      v = 2 * this.nextDouble() - 1;
      w = u * u + v * v;
    } while (w >= 1 || w === 0);
    return u * Math.sqrt((nu * Math.expm1((-2 * Math.log(w)) / nu)) / w);
  }

  /**
   * A gamma variate with the given shape and scale 1 (mean = variance = shape), by Marsaglia & Tsang (ACM TOMS 26,
   * 2000): with `d = shape - 1/3`, `c = 1 / sqrt(9d)`, x standard normal, `v = (1 + c x)^3 > 0` and u uniform, accept
   * `d v` when `u < 1 - 0.0331 x^4` or `ln u < x^2 / 2 + d (1 - v + ln v)`. A shape below 1 uses
   * `gamma(shape + 1) * U^(1/shape)` with U uniform on (0, 1]. `shape` must be a finite number greater than 0;
   * ValidationError otherwise. A chi-squared variate with k degrees of freedom is `2 * gamma(k / 2)`.
   */
  gamma(shape: number): number {
    if (!(shape > 0) || !Number.isFinite(shape)) {
      throw new ValidationError(`a gamma shape must be a finite number greater than 0, got ${shape}`);
    }
    if (shape < 1) {
      const g = this.gamma(shape + 1);
      return g * Math.exp(Math.log(1 - this.nextDouble()) / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const u = this.nextDouble();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** An exponential variate with rate 1 (mean 1, variance 1): `-ln(1 - U)` with U uniform on [0, 1). */
  exponential(): number {
    return -Math.log(1 - this.nextDouble());
  }
}
