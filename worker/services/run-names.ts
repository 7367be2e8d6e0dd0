// Memorable generated run names in W&B's style: adjective-noun, then the run's
// ordinal in its project (added in SQL by createRun), e.g. "glad-sun-3".
const adjectives = [
  "amber", "ancient", "autumn", "bold", "brave", "bright", "calm", "celestial", "clever", "cool",
  "cosmic", "crimson", "dainty", "dandy", "dark", "dashing", "dauntless", "deep", "denim", "divine",
  "dry", "dulcet", "eager", "earthy", "easy", "electric", "elegant", "ethereal", "fancy", "fearless",
  "fiery", "fine", "floral", "fluent", "fragrant", "fresh", "frosty", "gallant", "gentle", "giddy",
  "glad", "glamorous", "glorious", "golden", "graceful", "grateful", "hardy", "hearty", "helpful", "hopeful",
  "icy", "jolly", "jumping", "kind", "laced", "lemon", "light", "lilac", "lively", "lucky",
  "lunar", "lyric", "magic", "mild", "misty", "morning", "noble", "olive", "peachy", "polar",
  "proud", "quiet", "radiant", "rare", "restful", "rich", "rosy", "royal", "ruby", "rural",
  "sage", "scarlet", "serene", "sharp", "silver", "smart", "snowy", "solar", "spring", "stellar",
  "still", "stoic", "summer", "sunny", "swift", "tender", "true", "twilight", "vivid", "warm",
  "wild", "winter", "wise", "worldly", "young", "zesty",
];
const nouns = [
  "aardvark", "bird", "blaze", "breeze", "brook", "bush", "butterfly", "capybara", "cherry", "cloud",
  "comet", "dawn", "deluge", "dew", "dream", "dust", "eon", "feather", "fire", "firebrand",
  "firefly", "flower", "fog", "forest", "frog", "frost", "galaxy", "glade", "glitter", "grass",
  "haze", "hill", "jazz", "lake", "leaf", "lion", "meadow", "moon", "morning", "mountain",
  "night", "oath", "ocean", "paper", "pine", "planet", "plasma", "pond", "puddle", "rain",
  "resonance", "river", "salad", "sea", "serenity", "shadow", "shape", "silence", "sky", "smoke",
  "snow", "snowflake", "sound", "spaceship", "spark", "star", "sun", "sunset", "surf", "terrain",
  "thunder", "totem", "tree", "valley", "violet", "voice", "water", "wave", "wildflower", "wind",
  "wood", "yogurt",
];

const pick = <T>(xs: readonly T[]): T => xs[crypto.getRandomValues(new Uint32Array(1))[0]! % xs.length]!;

export const runName = () => `${pick(adjectives)}-${pick(nouns)}`;
