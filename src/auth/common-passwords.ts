// A curated list of common passwords (lower-case), written from common knowledge: no download, no network.
// Words are whitespace-separated; the password policy also strips digits/symbols and undoes leetspeak,
// so "Dragon2024!" and "p@ssw0rd" are caught through "dragon" and "password".

const WORDS = `
password passw0rd passwd pass1234 password1 password12 password123 password1234 password12345 password123456
passwordpassword mypassword newpassword oldpassword secretpassword strongpassword supersecret secret secret123
123456 1234567 12345678 123456789 1234567890 12345678910 123456789012 1234567890123 0123456789 0987654321
987654321 9876543210 111111 1111111 11111111 111111111111 000000 00000000 000000000000 121212 123123 123123123
123321 654321 666666 696969 777777 7777777 888888 999999 112233 123654 147258 147258369 159753 159357 1q2w3e
1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx 1qaz2wsx3edc 2wsx3edc qazwsx qazwsxedc qazwsxedcrfv zaq12wsx
zaq1zaq1 zaq1xsw2 qwerty qwerty1 qwerty12 qwerty123 qwerty1234 qwertyu qwertyui qwertyuiop qwertyuiop123
qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm qwertz qwertzuiop azerty azertyuiop asdf asdfgh asdfghjk
asdfghjkl asdfghjkl123 asdfasdf asdf1234 zxcvbn zxcvbnm zxcvbnm123 zxcvbnmasdfghjkl qweasd qweasdzxc
qweasdzxc123 1qazxsw2 poiuytrewq lkjhgfdsa mnbvcxz abc123 abc1234 abcd1234 abcdef abcdefg abcdefgh
abcdefghijkl abcdefghijklmnop abcabc abc123abc123 aaaaaa aaaaaaaa aaaaaaaaaaaa abcd abcde 123abc a1b2c3
a1b2c3d4 a1b2c3d4e5f6 letmein letmein1 letmein123 letmeinletmein welcome welcome1 welcome12 welcome123
welcome1234 welcome12345 welcometoportcullis admin admin1 admin12 admin123 admin1234 admin12345 administrator
administrator1 adminadmin adminpassword root root123 rootroot toor toortoor changeme changeme1 changeme123
changeme123456 changemenow default default123 guest guest123 test test1 test123 test1234 testing testing123
tester temp temp123 temporary temppassword user user123 username login login123 master master123 masterkey
access access123 accessgranted system system123 server server123 database docker docker123 dockeradmin
portainer portainer123 portcullis portcullis123 kubernetes linux linux123 ubuntu ubuntu123 debian raspberry
raspberrypi centos windows windows10 windows11 microsoft apple macbook iphone android google google123
facebook twitter instagram youtube linkedin netflix amazon yahoo hotmail gmail outlook skype whatsapp
iloveyou iloveyou1 iloveyou2 iloveyou123 iloveyouforever iloveyousomuch iloveyoubaby iloveme iloveu loveyou
lovely loveme love love123 lover lovers loveyou2 mylove myloveyou truelove sweetheart sweetie sweetpea
honey honeybee babygirl babyboy baby123 princess princess1 princess123 prince angel angel1 angels
angelina beautiful butterfly sunshine sunshine1 rainbow flower flowers daisy lily rose roses tulip
monkey monkey1 monkey123 dragon dragon1 dragon123 dragons tiger tigers lion lions eagle eagles falcon
falcons hawk hawks shark sharks dolphin dolphins wolf wolves bear bears panther panthers jaguar jaguars
cobra cobras python viper vipers spider spiderman batman batman1 superman superman1 ironman hulk thor
captain captainamerica wolverine deadpool pokemon pikachu naruto goku dragonball starwars jedi yoda darthvader
skywalker startrek matrix neo trinity morpheus gandalf frodo hobbit legolas aragorn voldemort hogwarts
harrypotter hermione avengers marvel joker gotham sherlock doctorwho minecraft fortnite roblox zelda mario
luigi sonic tetris pacman warcraft starcraft diablo overwatch halo counterstrike callofduty playstation
xbox xbox360 nintendo gameboy gamer gaming football football1 baseball basketball soccer hockey tennis
golf golfer cricket rugby boxing wrestling cheerleader swimming running runner cycling skater skateboard
surfer snowboard fishing hunting hunter shooter soccer123 football123 baseball1 liverpool chelsea arsenal
manchester manutd manchesterunited mancity tottenham everton newcastle barcelona realmadrid juventus
acmilan intermilan bayern dortmund ajax celtic rangers yankees redsox dodgers giants mets cubs whitesox
braves cardinals orioles astros mariners padres rockies brewers phillies pirates reds royals twins
rangers123 cowboys packers steelers patriots broncos raiders chargers chiefs dolphins123 jets bills
ravens bengals browns texans colts titans jaguars123 vikings bears123 lions123 saints buccaneers
falcons123 seahawks fortyniners 49ers rams redskins commanders lakers celtics bulls knicks warriors heat
spurs rockets mavericks nets clippers suns blazers sixers raptors canadiens mapleleafs bruins blackhawks
penguins redwings flyers oilers canucks nascar ferrari porsche mercedes bmw audi toyota honda nissan
mustang corvette camaro harley ducati yamaha kawasaki suzuki chevy chevrolet ford jeep dodge tesla
michael michelle jessica jennifer ashley amanda daniel david matthew andrew joshua christopher anthony
william james john robert thomas charles joseph richard steven jordan justin brandon jason nicholas
ryan tyler kevin brian eric jacob alexander alex alexandra samantha sarah stephanie nicole elizabeth
heather melissa amber rachel rebecca lauren megan hannah emily emma olivia sophia isabella ava mia
abigail madison chloe grace lily123 natalie victoria katherine kimberly christina crystal tiffany
vanessa veronica monica andrea angela maria mariana mariah diana jasmine jasmine1 charlie charlie1 buster
max maxwell bailey buddy rocky jack jackson toby molly lucky shadow shadow1 ginger pepper oliver
cookie cooper duke bella daisy123 sadie maggie sophie chloe123 lucy zoey roxy coco biscuit muffin
peanut snoopy scooby garfield tigger pooh winnie mickey minnie donald goofy bambi simba nala
thomas1 robert1 michael1 jordan23 jordan1 daniel1 ashley1 jessica1 nicole1 hunter2 hunter1 ranger
summer summer1 winter winter1 spring autumn fall2024 summer2024 winter2024 spring2024 autumn2024 january
february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday weekend holiday christmas easter halloween thanksgiving
newyear birthday happy happy123 happybirthday happiness smile smiley freedom liberty justice peace
peaceful harmony destiny forever forever1 infinity eternity heaven hell devil angel123 god godisgood
jesus jesus1 jesuschrist christ christian faith hope trust trustno1 trustme believe blessed blessing
miracle prayer church bible genesis exodus amen hallelujah zion shalom allah muhammad
computer computer1 internet network laptop desktop keyboard mouse monitor printer hacker hacked
hacking cyber security secure secure123 private privacy shield firewall matrix123 enigma cipher
crypto bitcoin ethereum blockchain money money1 money123 cash dollar dollars euro rich richard1 million
millionaire billion gold golden silver diamond diamonds platinum ruby emerald sapphire crystal1
pearl jewel treasure fortune lucky7 lucky13 seven eleven thirteen twenty magic magician wizard
merlin dragonslayer knight warrior soldier ninja samurai shogun viking spartan gladiator legend
legendary champion champions winner winners victory success power power123 powerful strong strength
energy thunder lightning storm tornado hurricane blizzard fire firefire water earth wind air
ocean sea beach island paradise sunset sunrise moon moonlight star stars starlight galaxy universe
planet cosmos space rocket astronaut nasa apollo jupiter saturn mars venus mercury pluto neptune
orion phoenix pegasus unicorn mermaid fairy pixie elf goblin zombie vampire werewolf ghost ghosts
monster monsters alien aliens robot robots cyborg android1 terminator predator rambo rocky1 cobra123
whatever whatever1 nothing something anything everything somebody nobody anybody everybody
qwertyqwerty asdfasdfasdf zxczxczxc asdasdasd qweqweqwe 123qwe 123qweasd qwe123 qwe123qwe asd123
zxc123 qaz123 wsx123 edc123 q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 1a2b3c4d 1a2s3d4f a1s2d3f4 z1x2c3v4
pass pass1 pass12 pass123 passpass passcode passkey passphrase password! password1! p4ssword
hello hello1 hello123 helloworld hellokitty hi hithere goodbye goodmorning goodnight yes no
maybe okay ok cool cool123 awesome awesome1 amazing super super123 superstar star123 rockstar
rock rocknroll metallica nirvana slipknot linkinpark greenday eminem beyonce rihanna madonna
shakira beatles elvis elvispresley queen bonjovi acdc ledzeppelin pinkfloyd michaeljackson
justinbieber taylorswift onedirection bts blackpink music music1 musician guitar guitar1 piano
drums drummer singer song songs dance dancer dancing party party123 disco rockandroll jazz blues
country hiphop rapper reggae punk metal heavymetal classic classical movie movies cinema hollywood
film actor actress director camera photo photography picture art artist artsy design designer
creative pencil paper book books reader library school school1 college university student
teacher teacher1 professor science physics chemistry biology math maths mathematics history
english french spanish german italian chinese japanese korean russian america american usa
canada canadian england london paris berlin rome madrid tokyo moscow chicago boston newyork
newyorkcity losangeles california texas florida hawaii alaska vegas lasvegas miami dallas
houston atlanta seattle denver phoenix1 detroit brooklyn bronx jersey newjersey australia sydney
melbourne ireland scotland wales brazil mexico argentina india pakistan nigeria philippines
coffee coffee123 tea chocolate chocolate1 candy sugar cupcake cheese cheesecake pizza pizza123
pasta burger hamburger hotdog bacon cookie123 banana banana1 apple123 orange orange1 lemon cherry
strawberry blueberry peach mango pineapple watermelon grape kiwi coconut vanilla caramel butter
popcorn pepsi cocacola beer whiskey vodka tequila wine martini jackdaniels guinness budweiser
heineken corona marlboro camel smoke weed420 blaze420 420420 kush stoner
family family1 mother mother1 father dad daddy mom mommy mama papa brother sister baby
children kids son daughter wife husband friend friends friendship bestfriend bff soulmate
girlfriend boyfriend darling lovebug cutie cutiepie sexy sexy123 hottie handsome pretty gorgeous
killer killer1 killer123 assassin sniper hunter123 warrior1 fighter fighting battle combat army
navy marine marines airforce military sergeant colonel general major police sheriff fireman
firefighter doctor nurse lawyer engineer pilot chef baker farmer cowboy cowgirl rancher
qwerty123456 password123! admin@123 p@ssw0rd p@ssword pa55word pa55w0rd passw0rd1 passw0rd123
letmein! welcome! welcome@123 admin@1234 root@123 test@123 abc@123 qwerty@123 india@123
iloveyou! changeme! secret! 1234qwer 1234qwerasdf 1234abcd 4321 54321 12341234 123412341234
11223344 1122334455 12344321 1234554321 123456654321 123456123456 11112222 12121212 13131313
2000 2001 2002 2003 2004 2005 2006 2007 2008 2009 2010 2011 2012 2013 2014 2015 2016 2017
2018 2019 2020 2021 2022 2023 2024 2025 2026 1980 1985 1990 1995 1999 19841984 19901990
mustang1 ferrari1 porsche911 harley1 corvette1 chevy1 nascar1 jordan123 lebron kobe kobebryant
michaeljordan messi ronaldo cristiano neymar beckham pele maradona federer nadal tigerwoods
ihateyou fuckyou fuckoff fuck fucker shit bitch asshole bastard damn hell123 sucker loser
stupid idiot dumb crazy insane psycho maniac lunatic freak weirdo nerd geek dork
letitbe letsgo letsdance comeon goaway getout openup opensesame sesame abracadabra hocuspocus
iamthebest iamgod imthebest youarethebest bestever thebest number1 numberone first1 topgun
maverick goose iceman viper1 jester cougar hollywood1 lakers24 kobe24 jordan2323 michael23
nopassword nopass blank empty none null undefined void zero qwerty000 pass0000 admin000
correcthorsebatterystaple trustnoone iwanttobelieve thetruthisoutthere maytheforcebewithyou
thequickbrownfox thequickbrownfoxjumpsoverthelazydog loremipsum loremipsumdolor passwordispassword
mypasswordis ilovemyself ilovemydog ilovemycat ilovemymom ilovemyfamily ilovejesus ilovegod
ilovemusic iloveyoumore iloveyoutoo iloveyouall ihatemylife lifeisgood lifeisbeautiful goodlife
livelaughlove carpediem yolo hakunamatata openthedoor letmeinplease pleaseletmein
`;

/** The list as a set (lower-case entries). Exported for tests and for callers that want a fast membership check. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));
