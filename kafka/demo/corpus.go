package demo

import "strings"

// demoCorpusLines are the lines the demo feeds to TextInputTopic for
// the word count, in order. They are public-domain prose and verse
// (Dickens, Austen, Melville, Carroll, Lincoln, Poe, Shakespeare, Aesop's
// fables retold, nursery rhymes, proverbs) and a few plain paragraphs
// written for kflow, chosen so the counts have common words and rare ones.
func demoCorpusLines() []string {
	return strings.Split(strings.TrimSpace(demoCorpus), "\n")
}

const demoCorpus = `
It was the best of times, it was the worst of times,
it was the age of wisdom, it was the age of foolishness,
it was the epoch of belief, it was the epoch of incredulity,
it was the season of Light, it was the season of Darkness,
it was the spring of hope, it was the winter of despair,
we had everything before us, we had nothing before us,
we were all going direct to Heaven, we were all going direct the other way.
It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.
However little known the feelings or views of such a man may be on his first entering a neighbourhood,
this truth is so well fixed in the minds of the surrounding families,
that he is considered the rightful property of some one or other of their daughters.
Call me Ishmael.
Some years ago, never mind how long precisely, having little or no money in my purse,
and nothing particular to interest me on shore,
I thought I would sail about a little and see the watery part of the world.
It is a way I have of driving off the spleen and regulating the circulation.
Whenever I find myself growing grim about the mouth;
whenever it is a damp, drizzly November in my soul;
then, I account it high time to get to sea as soon as I can.
Alice was beginning to get very tired of sitting by her sister on the bank,
and of having nothing to do: once or twice she had peeped into the book her sister was reading,
but it had no pictures or conversations in it,
and what is the use of a book, thought Alice, without pictures or conversations?
So she was considering in her own mind, as well as she could, for the hot day made her feel very sleepy and stupid,
whether the pleasure of making a daisy-chain would be worth the trouble of getting up and picking the daisies,
when suddenly a White Rabbit with pink eyes ran close by her.
Four score and seven years ago our fathers brought forth on this continent, a new nation,
conceived in Liberty, and dedicated to the proposition that all men are created equal.
Now we are engaged in a great civil war, testing whether that nation, or any nation so conceived and so dedicated, can long endure.
We are met on a great battle-field of that war.
We have come to dedicate a portion of that field, as a final resting place for those who here gave their lives that that nation might live.
It is altogether fitting and proper that we should do this.
But, in a larger sense, we can not dedicate, we can not consecrate, we can not hallow this ground.
The world will little note, nor long remember what we say here, but it can never forget what they did here.
Twas brillig, and the slithy toves did gyre and gimble in the wabe:
All mimsy were the borogoves, and the mome raths outgrabe.
Beware the Jabberwock, my son! The jaws that bite, the claws that catch!
Beware the Jubjub bird, and shun the frumious Bandersnatch!
He took his vorpal sword in hand; long time the manxome foe he sought,
so rested he by the Tumtum tree and stood awhile in thought.
Once upon a midnight dreary, while I pondered, weak and weary,
over many a quaint and curious volume of forgotten lore,
while I nodded, nearly napping, suddenly there came a tapping,
as of some one gently rapping, rapping at my chamber door.
Shall I compare thee to a summer's day?
Thou art more lovely and more temperate:
rough winds do shake the darling buds of May,
and summer's lease hath all too short a date.
To be, or not to be, that is the question:
whether 'tis nobler in the mind to suffer the slings and arrows of outrageous fortune,
or to take arms against a sea of troubles, and by opposing end them.
All the world's a stage, and all the men and women merely players;
they have their exits and their entrances, and one man in his time plays many parts.
The quality of mercy is not strained; it droppeth as the gentle rain from heaven upon the place beneath.
Friends, Romans, countrymen, lend me your ears; I come to bury Caesar, not to praise him.
Tomorrow, and tomorrow, and tomorrow, creeps in this petty pace from day to day.
Now is the winter of our discontent made glorious summer by this sun of York.
A hare was making fun of the tortoise one day for being so slow.
Do you ever get anywhere? he asked with a mocking laugh.
Yes, replied the tortoise, and I get there sooner than you think. I will run you a race and prove it.
The hare was much amused at the idea of running a race with the tortoise, but for the fun of the thing he agreed.
The hare was soon far out of sight, and to make the tortoise feel how ridiculous it was to race with a hare,
he lay down beside the course to take a nap until the tortoise should catch up.
The tortoise meanwhile kept going slowly but steadily, and after a time passed the place where the hare was sleeping.
When the hare woke, the tortoise was near the goal, and the hare could not run fast enough to overtake him.
Slow and steady wins the race.
A thirsty crow found a pitcher with a little water at the bottom, too low for his beak to reach.
He dropped in one pebble, then another, then another, and the water rose a little with each.
At last the water came up near the brim, and the crow drank his fill.
Little by little does the trick.
A fox saw some fine bunches of grapes hanging from a vine high above the ground.
He jumped and jumped but could not reach them, and at last he walked away with his nose in the air.
The grapes are sour anyway, he said, and I would not eat them if they were given to me.
It is easy to despise what you cannot get.
A shepherd boy who watched his flock near a village cried out Wolf! Wolf! to see the villagers come running.
He did it twice, and twice they came and found no wolf, and the boy laughed at them.
Then a wolf really did come, and the boy cried out, but no one believed him and no one came.
Nobody believes a liar, even when he tells the truth.
An ant spent the summer carrying grain to its nest while a grasshopper sang in the sun.
When winter came the grasshopper had nothing to eat, and went to the ant to beg for a little grain.
What were you doing all summer? asked the ant. I was singing, said the grasshopper.
Then you may dance all winter, said the ant, and went back to its work.
There is a time for work and a time for play.
A lion was woken by a mouse running over his face, and caught it under his great paw.
Spare me, said the mouse, and one day I may be able to help you.
The lion laughed at the idea, but let the mouse go.
Some days later the lion was caught in a hunter's net, and roared so loudly that the mouse heard him.
The mouse ran to the net and gnawed the ropes until the lion was free.
Little friends may prove great friends.
The north wind and the sun argued about which of them was the stronger.
They agreed that whoever could make a traveller take off his cloak would be the winner.
The wind blew as hard as it could, but the harder it blew the tighter the traveller held his cloak.
Then the sun shone warmly, and soon the traveller took off his cloak and sat down in the shade.
Gentleness and kind persuasion win where force and bluster fail.
Humpty Dumpty sat on a wall, Humpty Dumpty had a great fall.
All the king's horses and all the king's men couldn't put Humpty together again.
Twinkle, twinkle, little star, how I wonder what you are.
Up above the world so high, like a diamond in the sky.
Jack and Jill went up the hill to fetch a pail of water.
Jack fell down and broke his crown, and Jill came tumbling after.
Hickory, dickory, dock, the mouse ran up the clock.
The clock struck one, the mouse ran down, hickory, dickory, dock.
Mary had a little lamb, its fleece was white as snow,
and everywhere that Mary went, the lamb was sure to go.
Early to bed and early to rise makes a man healthy, wealthy and wise.
A stitch in time saves nine.
Many hands make light work.
Still waters run deep.
The early bird catches the worm.
A rolling stone gathers no moss.
Where there is a will there is a way.
All that glitters is not gold.
Actions speak louder than words.
Every cloud has a silver lining.
Look before you leap.
Don't count your chickens before they are hatched.
Rome was not built in a day.
The pen is mightier than the sword.
When in Rome, do as the Romans do.
Necessity is the mother of invention.
Better late than never.
Two heads are better than one.
An apple a day keeps the doctor away.
Fortune favours the bold.
Hope for the best and prepare for the worst.
A journey of a thousand miles begins with a single step.
Every event is a fact about something that happened, written down once and never changed.
A topic is a log of such facts, and a partition is one ordered part of that log.
Producers append to the end of the log, and consumers read it at their own pace.
A consumer group shares the partitions of a topic among its members.
Each member reads its partitions and commits how far it got.
The distance between the end of the log and the committed offset is the lag.
A group that keeps up has a lag near zero, whatever the rate of the producers.
A group that is slower than its producers falls a little further behind every second.
A group that stops committing looks alive, but its offsets stand still while the log grows.
When something cannot be processed, it is set aside in a dead letter queue with the reason why.
Nothing in the log is lost when a consumer falls behind; it is only waiting to be read.
The word count reads these lines, splits them into words, and counts every word it has seen.
Its output is a compacted topic, where only the latest count of each word is kept.
Compaction keeps the last value for every key and lets the older ones go.
A key with a null value is a tombstone, and compaction removes the key altogether.
The sea was calm that morning, and the boats went out before the sun was up.
By noon the wind had turned, and the gulls came in over the harbour wall.
The fishermen watched the clouds gather in the west and made for home.
By evening the rain was falling on the slate roofs of the town.
In the morning the sky was clear again, and the boats went out as before.
The old clockmaker opened his shop at eight every day for forty years.
He knew every clock in the town by the sound of its ticking.
When the church clock ran slow, it was the clockmaker they sent for.
He climbed the tower with his box of tools and did not come down until it kept time.
The children of the town set their watches by it all the same.
The library stood at the corner of the square, and its doors were never locked.
Anyone could come in, take a book from the shelf, and read by the window.
Some came every day and sat in the same chair for hours.
Others came once, found the book they were looking for, and never came back.
The librarian remembered them all, and what each of them had read.
A river begins as a spring high in the hills, no wider than a hand.
It gathers streams as it runs down through the fields and the woods.
By the time it reaches the town it is wide enough for boats.
At the coast it spreads out into the marshes and meets the sea.
The water that left the hills in spring reaches the sea in summer.
The baker is up long before dawn, when the streets are dark and empty.
He mixes flour and water and salt and yeast, and leaves the dough to rise.
By six the first loaves are out of the oven and the shop smells of bread.
By noon the shelves are empty, and the baker goes home to sleep.
Tomorrow he will do it all again, and the day after that.
The train left the station on time and ran north through the valley.
Past the farms and the orchards, past the mill and the river bridge.
At every station a few people got off and a few people got on.
The conductor knew most of them by name and asked after their families.
At the end of the line the train waited an hour, and then ran south again.
`
